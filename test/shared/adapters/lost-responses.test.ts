import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { DynamoKeyStore } from '../../../shared/adapters/dynamo-key-store';
import { keyOf } from '../../../shared/adapters/table-schema';
import type { Actor } from '../../../shared/domain/actors';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import { KeyLifecycle } from '../../../shared/domain/key-lifecycle';
import { auditEvents, auditLog } from '../../../shared/wiring/audit';
import { pepperVault } from '../../../shared/wiring/pepper';
import { accountStore, tableName } from '../../../shared/wiring/stores';
import { verificationService } from '../../../shared/wiring/verification';
import { type SeededAccount, seedAccount } from '../../support/accounts';
import { createKey, requestCode } from '../../support/key-lifecycle';
import { rememberSecret } from '../../support/log-capture';
import { type LossPlan, lossyDynamo } from '../../support/lossy-dynamo';

/**
 * Key changes whose write reached DynamoDB but whose response was lost. Whatever the SDK's retries
 * meet, the change must report what happened (the token it stored, the 204 of a delete), not a 409,
 * a 404 or a 500, and the table must hold the change once with one audit event. Real DynamoDB Local,
 * the real SDK client and its retries; only the transport loses answers.
 */
const lossy = lossyDynamo();
const lifecycle = new KeyLifecycle({
  keys: new DynamoKeyStore(lossy.client, tableName()),
  accounts: accountStore(),
  verifications: verificationService(),
  hasher: pepperVault(),
  events: auditEvents(),
});

let owner: SeededAccount;
let actor: Actor;

// A member may ask for 5 codes per 15 minutes: each case gets an account of its own.
beforeEach(async () => {
  owner = await seedAccount();
  actor = { userId: owner.ownerId, accountId: owner.account.accountId, role: 'owner' };
});

async function stored(keyId: string): Promise<ApiKeyRecord | undefined> {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: keyOf.apiKey(keyId), ConsistentRead: true }),
  );
  return Item as ApiKeyRecord | undefined;
}

async function eventsOf(keyId: string, type: string) {
  const page = await auditLog().list(actor.accountId, { keyId, limit: 100 });
  return page.items.filter((event) => event.type === type);
}

async function tokenMatches(record: ApiKeyRecord | undefined, token: string): Promise<boolean> {
  if (record === undefined) return false;
  return pepperVault().verifyToken(token, {
    tokenHash: record.tokenHash,
    pepperVersion: record.pepperVersion,
  });
}

/** Each action: set up, arm the loss on its own transaction (named by its event type), act, check. */
const ACTIONS = {
  create: async (plan: LossPlan) => {
    const request = { name: 'Lost create', permissions: ['stores'] };
    const proof = await requestCode(owner, { action: 'create', request });
    lossy.loseNext('TransactWriteItems', '"key.created"', plan);
    const issued = await lifecycle.createApiKey(actor, request, proof);
    rememberSecret(issued.token);
    const record = await stored(issued.record.keyId);
    expect(record).toMatchObject({ name: 'Lost create', version: 1 });
    expect(await tokenMatches(record, issued.token)).toBe(true);
    expect(await eventsOf(issued.record.keyId, 'key.created')).toHaveLength(1);
  },
  duplicate: async (plan: LossPlan) => {
    const source = await createKey(owner, { name: 'Dup source', permissions: ['contacts'] });
    const request = { name: 'Lost copy' };
    const proof = await requestCode(owner, { action: 'duplicate', keyId: source.apiKey.keyId, request });
    lossy.loseNext('TransactWriteItems', '"key.duplicated"', plan);
    const issued = await lifecycle.duplicateApiKey(actor, source.apiKey.keyId, request, proof);
    rememberSecret(issued.token);
    const record = await stored(issued.record.keyId);
    expect(record).toMatchObject({ name: 'Lost copy', permissions: ['sites.list', 'contacts'] });
    expect(await tokenMatches(record, issued.token)).toBe(true);
    expect(await eventsOf(issued.record.keyId, 'key.duplicated')).toHaveLength(1);
  },
  rotate: async (plan: LossPlan) => {
    const key = await createKey(owner, { name: 'Lost rotate', permissions: [] });
    const proof = await requestCode(owner, { action: 'rotate', keyId: key.apiKey.keyId });
    lossy.loseNext('TransactWriteItems', '"key.rotated"', plan);
    const issued = await lifecycle.rotateApiKey(actor, key.apiKey.keyId, undefined, proof);
    rememberSecret(issued.token);
    const record = await stored(key.apiKey.keyId);
    expect(record?.version).toBe(2);
    expect(await tokenMatches(record, issued.token)).toBe(true);
    expect(await tokenMatches(record, key.token)).toBe(false);
    expect(await eventsOf(key.apiKey.keyId, 'key.rotated')).toHaveLength(1);
  },
  update: async (plan: LossPlan) => {
    const key = await createKey(owner, { name: 'Lost update', permissions: [] });
    const request = { name: 'Edited after a lost response', permissions: ['events'] };
    const proof = await requestCode(owner, { action: 'update', keyId: key.apiKey.keyId, request });
    lossy.loseNext('TransactWriteItems', '"key.updated"', plan);
    const record = await lifecycle.updateApiKey(actor, key.apiKey.keyId, request, proof);
    expect(record).toMatchObject({ name: request.name, version: 2 });
    expect(await stored(key.apiKey.keyId)).toMatchObject({
      name: request.name,
      permissions: ['sites.list', 'events'],
      version: 2,
    });
    expect(await eventsOf(key.apiKey.keyId, 'key.updated')).toHaveLength(1);
  },
  delete: async (plan: LossPlan) => {
    const key = await createKey(owner, { name: 'Lost delete', permissions: [] });
    const proof = await requestCode(owner, { action: 'delete', keyId: key.apiKey.keyId });
    lossy.loseNext('TransactWriteItems', '"key.deleted"', plan);
    // Resolving is the handler's 204.
    await expect(lifecycle.deleteApiKey(actor, key.apiKey.keyId, proof)).resolves.toBeUndefined();
    expect(await stored(key.apiKey.keyId)).toBeUndefined();
    expect(await eventsOf(key.apiKey.keyId, 'key.deleted')).toHaveLength(1);
  },
};
const actions = Object.entries(ACTIONS);
const attemptsSent = () => lossy.sent.filter((operation) => operation === 'TransactWriteItems').length;

describe('the first response lost; the SDK retries the same request', () => {
  it.each(actions)('%s: DynamoDB answers the retry of the committed change as a success', async (_, act) => {
    await act({ attempts: 1 });
    expect(lossy.lost).toEqual(['TransactWriteItems']);
    expect(attemptsSent()).toBe(2);
  });
});

describe('every response lost: the SDK gives up with a timeout although the change landed', () => {
  it.each(actions)(
    '%s: the re-read finds the change and answers as the first response would have',
    async (_, act) => {
      await act({ attempts: 3 });
      expect(lossy.lost).toHaveLength(3);
      expect(attemptsSent()).toBe(3);
    },
  );
});

describe('the first response lost, and the retry not recognised as the same request', () => {
  it.each(actions)(
    '%s: the retry fails its condition; the re-read tells "mine landed" from a conflict',
    async (_, act) => {
      await act({ attempts: 1, forgetRequest: true });
      expect(lossy.lost).toEqual(['TransactWriteItems']);
      expect(attemptsSent()).toBe(2);
    },
  );
});
