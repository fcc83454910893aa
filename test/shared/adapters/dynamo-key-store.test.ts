import { UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../shared/adapters/dynamo-client';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import { AuditEventFactory } from '../../../shared/domain/audit-events';
import { newKeyId } from '../../../shared/domain/ids';
import { mintKey } from '../../../shared/domain/key-records';
import { auditLog } from '../../../shared/wiring/audit';
import { keyLookup } from '../../../shared/wiring/key-lookup';
import { keyStore, tableName } from '../../../shared/wiring/stores';
import { seedAccount } from '../../support/accounts';
import { unpepperedHasher } from '../../support/key-records';

const keys = keyStore();

async function storedKey(overrides: Partial<ApiKeyRecord> = {}): Promise<ApiKeyRecord> {
  const { account } = await seedAccount();
  const { record } = await mintKey(unpepperedHasher, {
    account,
    fields: { name: 'Original', description: 'before', permissions: ['sites.list'] },
    by: 'user-a',
    now: new Date('2026-01-01T00:00:00.000Z'),
  });
  const stored = { ...record, ...overrides };
  await keys.create(stored);
  return stored;
}

describe('DynamoKeyStore', () => {
  it('refuses a second key with the same id', async () => {
    const record = await storedKey();
    await expect(keys.create({ ...record, name: 'Other' })).rejects.toMatchObject({ statusCode: 409 });
    expect((await keys.get(record.keyId))?.name).toBe('Original');
  });

  it('keeps a lastUsedAt recorded after the editor read the key', async () => {
    const read = await storedKey();
    expect(await keys.recordUse(read.keyId, '2026-06-01T00:00:00.000Z', '2026-05-31T23:55:00.000Z')).toBe(
      true,
    );
    await keys.replace({ ...read, name: 'Renamed', version: 2, updatedAt: '2026-06-01T00:00:01.000Z' }, 1);
    expect(await keys.get(read.keyId)).toEqual({
      ...read,
      name: 'Renamed',
      version: 2,
      updatedAt: '2026-06-01T00:00:01.000Z',
      lastUsedAt: '2026-06-01T00:00:00.000Z',
    });
  });

  it('never moves a key to another account, and answers 404 as if it did not exist', async () => {
    const record = await storedKey();
    const { account: other } = await seedAccount();
    await expect(
      keys.replace({ ...record, accountId: other.accountId, version: 2 }, 1),
    ).rejects.toMatchObject({
      statusCode: 404,
    });
    await expect(keys.delete(other.accountId, record.keyId, 1)).rejects.toMatchObject({ statusCode: 404 });
    expect(await keys.get(record.keyId)).toEqual(record);
  });

  it('refuses a write at a stale version with 409 and leaves the winner in place', async () => {
    const record = await storedKey();
    await keys.replace({ ...record, name: 'First', version: 2 }, 1);
    await expect(keys.replace({ ...record, name: 'Second', version: 2 }, 1)).rejects.toMatchObject({
      statusCode: 409,
      code: 'version_conflict',
    });
    await expect(keys.delete(record.accountId, record.keyId, 1)).rejects.toMatchObject({ statusCode: 409 });
    expect((await keys.get(record.keyId))?.name).toBe('First');
  });

  it('records use at most once per interval', async () => {
    const record = await storedKey({ lastUsedAt: '2026-06-01T00:00:00.000Z' });
    expect(await keys.recordUse(record.keyId, '2026-06-01T00:03:00.000Z', '2026-05-31T23:58:00.000Z')).toBe(
      false,
    );
    expect(await keys.recordUse(record.keyId, '2026-06-01T00:06:00.000Z', '2026-06-01T00:01:00.000Z')).toBe(
      true,
    );
    expect((await keys.get(record.keyId))?.lastUsedAt).toBe('2026-06-01T00:06:00.000Z');
    expect(await keys.recordUse(newKeyId(), '2026-06-01T00:06:00.000Z', '2026-06-01T00:01:00.000Z')).toBe(
      false,
    );
  });
});

describe('lastUsedAt and the account index', () => {
  it('the authorizer records use with one write unit and no index write, and a list still shows it', async () => {
    const record = await storedKey();
    const other = await storedKey();
    const lookup = keyLookup();
    expect(await lookup.recordUse(record.keyId, '2026-06-01T00:00:00.000Z', '2026-05-31T23:55:00.000Z')).toBe(
      true,
    );

    // The same write, asking DynamoDB Local what it cost: the item only, no index entry.
    const { ConsumedCapacity } = await dynamoClient().send(
      new UpdateItemCommand({
        TableName: tableName(),
        Key: { pk: { S: `KEY#${record.keyId}` }, sk: { S: 'KEY' } },
        UpdateExpression: 'SET lastUsedAt = :at',
        ExpressionAttributeValues: { ':at': { S: '2026-06-01T00:06:00.000Z' } },
        ReturnConsumedCapacity: 'INDEXES',
      }),
    );
    expect(ConsumedCapacity?.CapacityUnits).toBe(1);
    expect(ConsumedCapacity?.GlobalSecondaryIndexes ?? {}).toEqual({});

    const page = await keys.listByAccount(record.accountId, { limit: 10 });
    expect(page.items.find((k) => k.keyId === record.keyId)?.lastUsedAt).toBe('2026-06-01T00:06:00.000Z');
    expect((await lookup.get(record.keyId))?.lastUsedAt).toBe('2026-06-01T00:06:00.000Z');
    const otherPage = await keys.listByAccount(other.accountId, { limit: 10 });
    expect(otherPage.items.map((k) => [k.keyId, k.lastUsedAt])).toEqual([[other.keyId, undefined]]);
  });

  it('an edit still writes the index, so lists show the new name', async () => {
    const record = await storedKey();
    await keys.replace({ ...record, name: 'Renamed', version: 2 }, 1);
    const page = await keys.listByAccount(record.accountId, { limit: 10 });
    expect(page.items.map((k) => k.name)).toEqual(['Renamed']);
  });
});

describe('DynamoKeyStore with audit events', () => {
  const events = new AuditEventFactory(30);
  const context = {
    member: { userId: 'user-a', email: 'a***@example.com' },
    origin: { sourceIp: '203.0.113.9' },
  };
  const audit = auditLog();

  async function eventsOf(accountId: string) {
    return (await audit.list(accountId, { limit: 100 })).items;
  }

  it('writes a change and its event together, the event with the table TTL', async () => {
    const record = await storedKey();
    const event = events.build(context, { accountId: record.accountId, type: 'key.updated', key: record });
    await keys.replace({ ...record, name: 'Renamed', version: 2 }, 1, event);
    const [stored] = await eventsOf(record.accountId);
    expect(stored).toEqual(event);
    expect(stored?.expiresAt).toBeGreaterThan(Date.now() / 1000 + 29 * 86_400);
    expect(stored?.expiresAt).toBeLessThanOrEqual(Date.now() / 1000 + 30 * 86_400 + 1);
  });

  it('leaves no event when the change loses its condition (create, replace, delete)', async () => {
    const record = await storedKey();
    const build = (type: 'key.created' | 'key.updated' | 'key.deleted') =>
      events.build(context, { accountId: record.accountId, type, key: record });
    await expect(keys.create({ ...record, name: 'Twin' }, build('key.created'))).rejects.toMatchObject({
      statusCode: 409,
    });
    await expect(keys.replace({ ...record, version: 3 }, 2, build('key.updated'))).rejects.toMatchObject({
      statusCode: 409,
    });
    await expect(keys.delete(record.accountId, record.keyId, 7, build('key.deleted'))).rejects.toMatchObject({
      statusCode: 409,
    });
    const { account: other } = await seedAccount();
    await expect(
      keys.delete(other.accountId, record.keyId, 1, { ...build('key.deleted'), accountId: other.accountId }),
    ).rejects.toMatchObject({ statusCode: 404 });
    expect(await eventsOf(record.accountId)).toEqual([]);
    expect(await eventsOf(other.accountId)).toEqual([]);
    expect((await keys.get(record.keyId))?.name).toBe('Original');
  });

  it('deletes a leaked key only while it still holds the leaked digest', async () => {
    const record = await storedKey();
    const event = events.build(
      { member: null, origin: {} },
      { accountId: record.accountId, type: 'key.revoked_leak', key: record },
    );
    await keys.replace({ ...record, tokenHash: 'cm90YXRlZA', version: 2 }, 1);
    expect(await keys.deleteIfTokenMatches(record, event)).toBe(false);
    expect(await keys.get(record.keyId)).toBeDefined();
    expect(await eventsOf(record.accountId)).toEqual([]);
    const rotated = { ...record, tokenHash: 'cm90YXRlZA', version: 2 };
    expect(await keys.deleteIfTokenMatches(rotated, event)).toBe(true);
    expect(await keys.get(record.keyId)).toBeUndefined();
    expect((await eventsOf(record.accountId)).map((e) => e.type)).toEqual(['key.revoked_leak']);
  });

  it('ends a grace only while the key holds that previous token, and a stale edit cannot revive it', async () => {
    const inAnHour = new Date(Date.now() + 3600_000).toISOString();
    const leaked = { tokenHash: 'bGVha2Vk', pepperVersion: 1, validUntil: inAnHour };
    const record = await storedKey({ previousToken: leaked });
    const event = () =>
      events.build(
        { member: null, origin: {} },
        { accountId: record.accountId, type: 'key.revoked_leak', key: record },
      );

    // A second rotation replaced the previous token since the read: nothing is written.
    const replaced = { ...leaked, tokenHash: 'b3RoZXI' };
    await keys.replace({ ...record, previousToken: replaced, version: 2 }, 1);
    expect(await keys.revokePreviousToken(record, event(), 'leak-report')).toBe(false);
    expect((await keys.get(record.keyId))?.previousToken).toEqual(replaced);
    // A grace that ended is not ended again.
    const ended = { ...leaked, validUntil: new Date(Date.now() - 1000).toISOString() };
    await keys.replace({ ...record, previousToken: ended, version: 3 }, 2);
    expect(await keys.revokePreviousToken(record, event(), 'leak-report')).toBe(false);
    expect(await eventsOf(record.accountId)).toEqual([]);

    await keys.replace({ ...record, previousToken: leaked, version: 4 }, 3);
    const read = await keys.get(record.keyId);
    if (read === undefined) throw new Error('the key is gone');
    const revocation = event();
    expect(await keys.revokePreviousToken(read, revocation, 'leak-report')).toBe(true);
    expect(await keys.get(record.keyId)).toEqual({
      ...read,
      previousToken: undefined,
      version: 5,
      updatedAt: revocation.occurredAt,
      updatedBy: 'leak-report',
    });
    expect(await eventsOf(record.accountId)).toEqual([revocation]);
    // An edit that read the key before the revocation would write the token back: it loses its race.
    await expect(keys.replace({ ...read, name: 'Stale', version: 5 }, 4)).rejects.toMatchObject({
      statusCode: 409,
    });
  });
});
