import { beforeAll, describe, expect, it } from 'vitest';
import { handler as listApiKeys } from '../../functions/api-keys/list-api-keys';
import { handler as listAuditEvents } from '../../functions/audit/list-audit-events';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { type SeededAccount, seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';
import { type CreatedKey, createKey } from '../support/key-lifecycle';

/**
 * Every paginated list (the key list and the audit log) hands out cursors that only open on the
 * list, account and filters that issued them: a forged, altered or borrowed cursor is 400
 * `invalid_cursor`, through the real handlers over DynamoDB Local.
 */
const listKeys = (userId: string, query: Record<string, string>) =>
  invoke(
    listApiKeys,
    managementEvent({ method: 'GET', path: '/v1/api-keys', routeKey: 'GET /v1/api-keys', userId, query }),
  );
const listEvents = (userId: string, query: Record<string, string>) =>
  invoke(
    listAuditEvents,
    managementEvent({
      method: 'GET',
      path: '/v1/audit-events',
      routeKey: 'GET /v1/audit-events',
      userId,
      query,
    }),
  );

interface Refusal {
  readonly error: { code: string; message: string; details: { field: string; reason: string } };
}

function expectInvalidCursor(answer: { statusCode: number; json: unknown }, reason: string) {
  expect(answer.statusCode).toBe(400);
  const { error } = answer.json as Refusal;
  expect(error.code).toBe('invalid_cursor');
  expect(error.details).toEqual({ field: 'cursor', reason });
  expect(error.message).toMatch(/^cursor /);
}

/** What main's cursors were: base64url JSON naming the item to start after. */
const unsignedCursor = (field: 'k' | 'e', id: string) =>
  Buffer.from(JSON.stringify({ [field]: id }), 'utf8').toString('base64url');

let owner: SeededAccount;
let stranger: SeededAccount;
const keys: CreatedKey[] = [];
let firstPageCursor: string;

beforeAll(async () => {
  owner = await seedAccount();
  stranger = await seedAccount();
  for (const name of ['one', 'two', 'three']) keys.push(await createKey(owner, { name, permissions: [] }));
  await createKey(stranger, { name: 'theirs', permissions: [] });
  const page = await listKeys(owner.ownerId, { limit: '1' });
  firstPageCursor = (page.json as { nextCursor: string }).nextCursor;
});

describe('GET /v1/api-keys cursors', () => {
  it('pages through the account with the cursors it signs', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await listKeys(owner.ownerId, { limit: '1', ...(cursor === undefined ? {} : { cursor }) });
      expect(page.statusCode).toBe(200);
      const body = page.json as { apiKeys: PublicApiKey[]; nextCursor?: string };
      seen.push(...body.apiKeys.map((k) => k.name));
      cursor = body.nextCursor;
    } while (cursor !== undefined);
    expect(seen).toEqual(['three', 'two', 'one']);
    expect(firstPageCursor).toMatch(/^\d+\.[0-9a-z]{26}\.[A-Za-z0-9_-]{43}$/);
  });

  it('refuses a forged cursor in the old unsigned form, naming a real key of the account', async () => {
    const forged = unsignedCursor('k', keys[2]?.apiKey.keyId ?? '');
    expectInvalidCursor(await listKeys(owner.ownerId, { cursor: forged }), 'malformed');
  });

  it('refuses a cursor whose position was altered to another key of the same account', async () => {
    const [version, , mac] = firstPageCursor.split('.');
    const altered = `${version}.${keys[0]?.apiKey.keyId}.${mac}`;
    expectInvalidCursor(await listKeys(owner.ownerId, { cursor: altered }), 'bad_signature');
    const flipped = `${version}.${keys[1]?.apiKey.keyId}.${mac?.startsWith('A') ? 'B' : 'A'}${mac?.slice(1)}`;
    expectInvalidCursor(await listKeys(owner.ownerId, { cursor: flipped }), 'bad_signature');
  });

  it("refuses another account's cursor", async () => {
    expectInvalidCursor(await listKeys(stranger.ownerId, { cursor: firstPageCursor }), 'bad_signature');
  });

  it('refuses a cursor signed under a pepper version this service does not hold', async () => {
    const [, position, mac] = firstPageCursor.split('.');
    expectInvalidCursor(await listKeys(owner.ownerId, { cursor: `999.${position}.${mac}` }), 'unknown_key');
  });
});

describe('GET /v1/audit-events cursors', () => {
  it('pages with signed cursors and refuses them on another list, another filter or another account', async () => {
    const first = await listEvents(owner.ownerId, { limit: '2' });
    expect(first.statusCode).toBe(200);
    const cursor = (first.json as { nextCursor: string }).nextCursor;
    const second = await listEvents(owner.ownerId, { limit: '2', cursor });
    expect(second.statusCode).toBe(200);

    expectInvalidCursor(await listEvents(stranger.ownerId, { cursor }), 'bad_signature');
    expectInvalidCursor(await listEvents(owner.ownerId, { cursor, type: 'key.created' }), 'bad_signature');
    expectInvalidCursor(
      await listEvents(owner.ownerId, { cursor, keyId: keys[0]?.apiKey.keyId ?? '' }),
      'bad_signature',
    );
    // A key-list cursor is not an audit cursor, nor the other way round.
    expectInvalidCursor(await listEvents(owner.ownerId, { cursor: firstPageCursor }), 'bad_signature');
    expectInvalidCursor(await listKeys(owner.ownerId, { cursor }), 'bad_signature');
  });

  it('refuses a forged cursor in the old unsigned form', async () => {
    const events = (await listEvents(owner.ownerId, { limit: '100' })).json as {
      events: { eventId: string }[];
    };
    const forged = unsignedCursor('e', events.events[0]?.eventId ?? '');
    expectInvalidCursor(await listEvents(owner.ownerId, { cursor: forged }), 'malformed');
  });
});
