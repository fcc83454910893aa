import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLatchkey } from '../../local/server';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { type SeededAccount, seedAccount } from '../support/accounts';
import { emailsTo } from '../support/inbox';
import { rememberSecret } from '../support/log-capture';
import {
  call,
  devToken,
  management as managementCall,
  postLeakReport,
  rawKeyItem,
  startTestStack,
  trustLeakReporter,
  verificationHeaders,
} from './local-stack';

/**
 * A leaked token that a rotation's grace period still accepts, reported through the real local
 * server over the real DynamoDB Local engine: only that token dies, at once; the key and its current
 * token stay. A grace that already ended leaves nothing to revoke.
 */
// Trusted before the stack starts: the leak route reads its reporter keys when it first loads.
const reporter = trustLeakReporter('grace-test-reporter');

let stack: RunningLatchkey;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

interface Owner {
  readonly seeded: SeededAccount;
  readonly jwt: string;
  readonly accountId: string;
  readonly email: string;
}

async function newOwner(): Promise<Owner> {
  const seeded = await seedAccount();
  const { accountId, email } = seeded.account;
  return { seeded, jwt: await devToken(stack, accountId), accountId, email };
}

function management(owner: Owner, method: string, path: string, body?: unknown, extra = {}) {
  return managementCall(stack, owner.jwt, method, path, body, extra);
}

async function codeFor(owner: Owner, verification: Record<string, unknown>) {
  return verificationHeaders(stack, owner.jwt, owner.email, verification);
}

interface Issued {
  readonly apiKey: PublicApiKey;
  readonly token: string;
}

/** A key, rotated with a grace period: `previous` is the token the grace keeps alive. */
async function rotatedKey(owner: Owner, name: string, gracePeriodSeconds: number) {
  const request = { name, permissions: [] };
  const created = await management(
    owner,
    'POST',
    '/v1/api-keys',
    request,
    await codeFor(owner, { action: 'create', request }),
  );
  expect(created.status, created.text).toBe(201);
  const first = created.json as Issued;
  rememberSecret(first.token);
  const keyId = first.apiKey.keyId;
  const body = { gracePeriodSeconds };
  const proof = await codeFor(owner, { action: 'rotate', keyId, request: body });
  const rotated = await management(owner, 'POST', `/v1/api-keys/${keyId}/rotate`, body, proof);
  expect(rotated.status, rotated.text).toBe(200);
  const second = rotated.json as Issued;
  rememberSecret(second.token);
  return { keyId, previous: first.token, current: second.token, graceEndsAt: second.apiKey.graceEndsAt };
}

function report(...tokens: string[]) {
  const body = JSON.stringify(
    tokens.map((token) => ({
      token,
      type: 'latchkey_api_token',
      url: 'https://github.com/initech/app/blob/main/.env',
      source: 'content',
    })),
  );
  return postLeakReport(stack.url, body, reporter);
}

const label = (token: string, value: 'true_positive' | 'false_positive') => ({
  token_raw: token,
  token_type: 'latchkey_api_token',
  label: value,
});

/** The protected API behind the real authorizer; answers the status only. */
async function use(owner: Owner, token: string): Promise<number> {
  const answer = await call(`${stack.url}/v1/sites`, {
    headers: { authorization: `Bearer ${token}`, 'x-account-id': owner.accountId },
  });
  return answer.status;
}

interface ShownEvent {
  type: string;
  keyId: string | null;
  changes: unknown;
  details: Record<string, string | number> | null;
}

async function leakEvents(owner: Owner): Promise<ShownEvent[]> {
  const answer = await management(owner, 'GET', '/v1/audit-events?type=key.revoked_leak');
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { events: ShownEvent[] }).events;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a leaked previous token during its grace period', () => {
  it('is revoked alone: true_positive, refused at once, the current token kept, one event, one mail', async () => {
    const owner = await newOwner();
    const key = await rotatedKey(owner, 'Half-rotated', 3600);
    expect(await use(owner, key.previous)).toBe(200);
    const before = await rawKeyItem(stack, key.keyId);
    const mailsBefore = (await emailsTo(owner.email)).length;

    const answer = await report(key.previous);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([label(key.previous, 'true_positive')]);

    expect(await use(owner, key.previous)).toBe(403);
    expect(await use(owner, key.current)).toBe(200);

    // The grace ended in the table: the previous digest is gone, the current one untouched, and the
    // version moved on so an edit that read the key before cannot write the token back.
    const after = await rawKeyItem(stack, key.keyId);
    expect(after?.previousToken).toBeUndefined();
    expect(after?.tokenHash).toBe(before?.tokenHash);
    expect(after?.version).toBe(Number(before?.version) + 1);
    const shown = await management(owner, 'GET', `/v1/api-keys/${key.keyId}`);
    expect((shown.json as { apiKey: PublicApiKey }).apiKey.graceEndsAt).toBeNull();

    const events = await leakEvents(owner);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      keyId: key.keyId,
      changes: null,
      details: { revokedToken: 'previous', url: 'https://github.com/initech/app/blob/main/.env' },
    });

    const mails = await emailsTo(owner.email);
    expect(mails).toHaveLength(mailsBefore + 1);
    expect(mails.at(-1)?.subject).toContain('previous token was revoked');
    expect(mails.at(-1)?.text).toContain(key.keyId);
    expect(mails.at(-1)?.text).toContain('current token are unchanged');
    for (const token of [key.previous, key.current]) expect(mails.at(-1)?.text).not.toContain(token);

    // Reported again, it is already dead: nothing more is written or sent.
    expect((await report(key.previous)).json).toEqual([label(key.previous, 'false_positive')]);
    expect(await leakEvents(owner)).toHaveLength(1);
    expect(await emailsTo(owner.email)).toHaveLength(mailsBefore + 1);
  });
});

describe('a leaked previous token whose grace already ended', () => {
  it('is a false_positive, and nothing is written or sent', async () => {
    const owner = await newOwner();
    const key = await rotatedKey(owner, 'Long rotated', 1);
    // The table still holds the ended grace until the next rotation: the end is checked on read.
    await sleep(Date.parse(key.graceEndsAt ?? '') - Date.now() + 100);
    const before = await rawKeyItem(stack, key.keyId);
    expect(before?.previousToken).toBeDefined();
    const mailsBefore = (await emailsTo(owner.email)).length;

    const answer = await report(key.previous);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([label(key.previous, 'false_positive')]);

    expect(await rawKeyItem(stack, key.keyId)).toEqual(before);
    expect(await leakEvents(owner)).toEqual([]);
    expect(await emailsTo(owner.email)).toHaveLength(mailsBefore);
    expect(await use(owner, key.current)).toBe(200);
  });
});

describe('a leaked token of a key that has already expired', () => {
  it('is a false_positive: the authorizer refuses it already, and the key stays listed as expired', async () => {
    const owner = await newOwner();
    const key = await rotatedKey(owner, 'Expired since', 3600);
    // Time passing, as the table would show it: the key's expiry is now behind us (expiries are
    // refused in the past when set through the API, so the test moves it in the table).
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: stack.tableName,
        Key: keyOf.apiKey(key.keyId),
        UpdateExpression: 'SET expiresAt = :past',
        ExpressionAttributeValues: { ':past': new Date(Date.now() - 60_000).toISOString() },
      }),
    );
    expect(await use(owner, key.current)).toBe(403);
    const before = await rawKeyItem(stack, key.keyId);
    const mailsBefore = (await emailsTo(owner.email)).length;

    const answer = await report(key.current, key.previous);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([
      label(key.current, 'false_positive'),
      label(key.previous, 'false_positive'),
    ]);

    expect(await rawKeyItem(stack, key.keyId)).toEqual(before);
    expect(await leakEvents(owner)).toEqual([]);
    expect(await emailsTo(owner.email)).toHaveLength(mailsBefore);
  });
});

describe('a report naming both tokens of a key', () => {
  it('answers both true_positive in either order and leaves neither working', async () => {
    const owner = await newOwner();
    const currentFirst = await rotatedKey(owner, 'Both leaked, current first', 3600);
    const previousFirst = await rotatedKey(owner, 'Both leaked, previous first', 3600);
    const mailsBefore = (await emailsTo(owner.email)).length;

    const answer = await report(
      currentFirst.current,
      currentFirst.previous,
      previousFirst.previous,
      previousFirst.current,
    );
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([
      label(currentFirst.current, 'true_positive'),
      label(currentFirst.previous, 'true_positive'),
      label(previousFirst.previous, 'true_positive'),
      label(previousFirst.current, 'true_positive'),
    ]);

    for (const key of [currentFirst, previousFirst]) {
      expect(await rawKeyItem(stack, key.keyId)).toBeUndefined();
      expect(await use(owner, key.current)).toBe(403);
      expect(await use(owner, key.previous)).toBe(403);
    }
    // Deleting the key ended its grace token too, so the current-first key has one event; the
    // previous-first key has its grace ended, then is deleted: two.
    const events = await leakEvents(owner);
    const revoked = (keyId: string) =>
      events.filter((event) => event.keyId === keyId).map((event) => event.details?.revokedToken);
    expect(revoked(currentFirst.keyId)).toEqual(['current']);
    expect(revoked(previousFirst.keyId)).toEqual(['current', 'previous']);
    expect(await emailsTo(owner.email)).toHaveLength(mailsBefore + 3);
  });
});
