import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { handler as createApiKey } from '../../functions/api-keys/create-api-key';
import { handler as deleteApiKey } from '../../functions/api-keys/delete-api-key';
import { handler as duplicateApiKey } from '../../functions/api-keys/duplicate-api-key';
import { handler as rotateApiKey } from '../../functions/api-keys/rotate-api-key';
import { handler as updateApiKey } from '../../functions/api-keys/update-api-key';
import { handler as startVerification } from '../../functions/verifications/start-verification';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { dynamoClient } from '../../shared/adapters/dynamo-client';
import { SesMailer } from '../../shared/adapters/ses-mailer';
import { keyOf } from '../../shared/adapters/table-schema';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { VerificationCodeSender } from '../../shared/domain/code-sender';
import { newVerificationId } from '../../shared/domain/ids';
import { pepperRing } from '../../shared/wiring/pepper';
import { accountStore, keyStore, tableName } from '../../shared/wiring/stores';
import { verificationService } from '../../shared/wiring/verification';
import { type SeededAccount, seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';
import { emailsTo, latestEmailTo } from '../support/inbox';
import {
  allStoredStrings,
  createKey,
  createKeyEvent,
  type Proof,
  proofHeaders,
  requestCode,
  scanTable,
  startVerificationEvent,
} from '../support/key-lifecycle';
import { rememberSecret } from '../support/log-capture';

const db = dynamoDocumentClient();

function keyEvent(
  method: 'POST' | 'PATCH' | 'DELETE',
  suffix: '' | '/rotate',
  userId: string,
  keyId: string,
  proof: Proof,
  body?: unknown,
) {
  return managementEvent({
    method,
    path: `/v1/api-keys/${keyId}${suffix}`,
    routeKey: `${method} /v1/api-keys/{keyId}${suffix}`,
    userId,
    pathParameters: { keyId },
    body,
    headers: proofHeaders(proof),
  });
}
const deleteEvent = (userId: string, keyId: string, proof: Proof) =>
  keyEvent('DELETE', '', userId, keyId, proof);
const rotateEvent = (userId: string, keyId: string, proof: Proof) =>
  keyEvent('POST', '/rotate', userId, keyId, proof);
const updateEvent = (userId: string, keyId: string, proof: Proof, body: unknown) =>
  keyEvent('PATCH', '', userId, keyId, proof, body);

async function challengeItem(owner: SeededAccount, verificationId: string) {
  const { Item } = await db.send(
    new GetCommand({
      TableName: tableName(),
      Key: keyOf.verification(owner.account.accountId, verificationId),
      ConsistentRead: true,
    }),
  );
  return Item;
}

function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, '0');
}

function expectRefused(response: { statusCode: number; json: unknown }) {
  expect(response.statusCode).toBe(403);
  expect(response.json).toMatchObject({
    error: { code: 'verification_failed', message: expect.stringContaining('does not confirm this request') },
  });
}

function expectRefusedAs(
  response: { statusCode: number; json: unknown },
  code: 'verification_failed' | 'verification_used' | 'verification_expired' | 'verification_exhausted',
) {
  expect(response.statusCode).toBe(403);
  expect(response.json).toMatchObject({ error: { code } });
}

describe('POST /v1/verifications', () => {
  it('stores a bound challenge and emails the code to the linked address', async () => {
    const owner = await seedAccount({ email: `jane-${Date.now()}@example.com` });
    const key = await createKey(owner, { name: 'Payments', permissions: ['stores'] });
    const before = Date.now();
    const response = await invoke(
      startVerification,
      startVerificationEvent(owner.ownerId, { action: 'delete', keyId: key.apiKey.keyId }),
    );

    expect(response.statusCode).toBe(201);
    const body = response.json as { verificationId: string; sentTo: string; expiresAt: string };
    expect(body).toEqual({
      verificationId: expect.stringMatching(/^[0-9a-z]{24}$/),
      sentTo: 'j***@example.com',
      expiresAt: expect.any(String),
    });
    const expiresAt = Date.parse(body.expiresAt);
    expect(expiresAt - before).toBeGreaterThan(9 * 60_000);
    expect(expiresAt - before).toBeLessThanOrEqual(10 * 60_000 + 1000);

    const mail = await latestEmailTo(owner.account.email);
    const code = /verification code: (\d{6})/.exec(mail.text)?.[1] ?? '';
    rememberSecret(code);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.subject).not.toContain(code);
    expect(mail.subject).toBe('Latchkey verification code: Delete an API key');
    expect(mail.text).toContain('Delete an API key');
    expect(mail.text).toContain(`"Payments" (id ${key.apiKey.keyId})`);
    expect(mail.text).toContain(`member "${owner.ownerId}" (owner)`);
    expect(mail.text).toContain("If this wasn't you");
    expect(mail.text).toContain(body.expiresAt);

    const item = await challengeItem(owner, body.verificationId);
    expect(item).toMatchObject({
      userId: owner.ownerId,
      accountId: owner.account.accountId,
      action: 'delete',
      keyId: key.apiKey.keyId,
      requestHash: expect.any(String),
      codeHash: expect.any(String),
      attempts: 0,
      consumed: false,
      expiresAt: Math.floor(expiresAt / 1000),
    });
    expect(await allStoredStrings()).not.toContain(code);
  });

  it('refuses a request the action would refuse, before any code is sent', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const sentBefore = (await emailsTo(owner.account.email)).length;
    const bad: unknown[] = [
      { action: 'launch' },
      { action: 'create' },
      { action: 'create', request: { name: '', permissions: [] } },
      { action: 'create', keyId: key.apiKey.keyId, request: { name: 'x', permissions: [] } },
      { action: 'rotate' },
      { action: 'delete', keyId: key.apiKey.keyId, request: { force: true } },
      { action: 'update', keyId: key.apiKey.keyId, request: {} },
      { action: 'duplicate', keyId: key.apiKey.keyId, request: { permissions: ['stores'] } },
    ];
    for (const body of bad) {
      const response = await invoke(startVerification, startVerificationEvent(owner.ownerId, body));
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
    }
    const unknown = await invoke(
      startVerification,
      startVerificationEvent(owner.ownerId, {
        action: 'update',
        keyId: key.apiKey.keyId,
        request: { permissions: ['root'] },
      }),
    );
    expect(unknown.json).toMatchObject({
      error: { code: 'unknown_permission', details: { unknownPermissions: ['root'] } },
    });
    expect(await emailsTo(owner.account.email)).toHaveLength(sentBefore);
    const challenges = (await scanTable()).filter(
      (item) =>
        item.pk === keyOf.account(owner.account.accountId).pk && String(item.sk).startsWith('VERIFICATION#'),
    );
    expect(challenges).toHaveLength(1); // the one createKey used
  });

  it('allows 5 codes per member in 15 minutes, then 429 too_many_codes with Retry-After', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner); // code 1
    for (let i = 2; i <= 5; i++) {
      const response = await invoke(
        startVerification,
        startVerificationEvent(owner.ownerId, { action: 'rotate', keyId: key.apiKey.keyId }),
      );
      expect(response.statusCode, `code ${i}`).toBe(201);
    }
    const sixth = await invoke(
      startVerification,
      startVerificationEvent(owner.ownerId, { action: 'rotate', keyId: key.apiKey.keyId }),
    );
    expect(sixth.statusCode).toBe(429);
    expect(sixth.json).toMatchObject({ error: { code: 'too_many_codes' } });
    const retryAfter = Number(sixth.headers['Retry-After']);
    expect(retryAfter).toBeGreaterThan(14 * 60);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
    // Five code mails (the generated key's security mail is not a code).
    const codeMails = (await emailsTo(owner.account.email)).filter((m) =>
      /verification code/i.test(m.subject),
    );
    expect(codeMails).toHaveLength(5);

    const { Item } = await db.send(
      new GetCommand({
        TableName: tableName(),
        Key: keyOf.memberGuard(owner.account.accountId, owner.ownerId),
      }),
    );
    expect(Item?.sends).toHaveLength(5);
    expect(Item?.sendsVersion).toBe(5);

    // Another account is not affected.
    const other = await seedAccount();
    const response = await invoke(
      startVerification,
      startVerificationEvent(other.ownerId, { action: 'create', request: { name: 'x', permissions: [] } }),
    );
    expect(response.statusCode).toBe(201);
  });

  it('withdraws the challenge and answers 503 when the mail cannot be sent', async () => {
    const owner = await seedAccount();
    // The real SES adapter, pointed at a port where nothing listens.
    const sender = new VerificationCodeSender({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      mailer: new SesMailer(dynamoClient().config, 'no-reply@latchkey.test', undefined, 'http://127.0.0.1:9'),
    });
    const actor = { userId: owner.ownerId, accountId: owner.account.accountId, role: 'owner' as const };
    const error = await sender
      .sendCode(actor, { action: 'create', request: { name: 'x', permissions: [] } })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toMatchObject({ statusCode: 503, code: 'code_not_sent' });
    const challenges = (await scanTable()).filter(
      (item) =>
        item.pk === keyOf.account(owner.account.accountId).pk && String(item.sk).startsWith('VERIFICATION#'),
    );
    expect(challenges).toEqual([]);
  });
});

describe('using a code', () => {
  it('binds the code to its action, key and request: it confirms nothing else', async () => {
    const owner = await seedAccount();
    const keyA = await createKey(owner, { name: 'A', permissions: ['stores'] });
    const keyB = await createKey(owner, { name: 'B', permissions: ['stores'] });
    const deleteA = await requestCode(owner, { action: 'delete', keyId: keyA.apiKey.keyId });

    expectRefused(await invoke(deleteApiKey, deleteEvent(owner.ownerId, keyB.apiKey.keyId, deleteA)));
    expectRefused(await invoke(rotateApiKey, rotateEvent(owner.ownerId, keyA.apiKey.keyId, deleteA)));
    expectRefused(
      await invoke(updateApiKey, updateEvent(owner.ownerId, keyA.apiKey.keyId, deleteA, { name: 'A2' })),
    );
    expectRefused(
      await invoke(
        createApiKey,
        createKeyEvent(owner.ownerId, { name: 'A', permissions: ['stores'] }, deleteA),
      ),
    );
    // Another member of the same account cannot use the owner's code.
    const colleague = `user-colleague-${owner.account.accountId}`;
    await accountStore().addMember({
      userId: colleague,
      accountId: owner.account.accountId,
      role: 'admin',
      createdAt: new Date().toISOString(),
    });
    expectRefused(await invoke(deleteApiKey, deleteEvent(colleague, keyA.apiKey.keyId, deleteA)));
    expect(await keyStore().get(keyB.apiKey.keyId)).toBeDefined();
    expect(await keyStore().get(keyA.apiKey.keyId)).toMatchObject({ version: 1 });

    // Binding failures spend no tries: the code still does what it was asked for.
    expect(
      (await invoke(deleteApiKey, deleteEvent(owner.ownerId, keyA.apiKey.keyId, deleteA))).statusCode,
    ).toBe(204);
    expect(await keyStore().get(keyA.apiKey.keyId)).toBeUndefined();
  });

  it('binds create to the normalised permissions: other permissions fail, an equivalent body works', async () => {
    const owner = await seedAccount();
    const proof = await requestCode(owner, {
      action: 'create',
      request: { name: 'Shop', permissions: ['stores', 'stores'] },
    });
    expectRefused(
      await invoke(
        createApiKey,
        createKeyEvent(owner.ownerId, { name: 'Shop', permissions: ['stores', 'accounts.manage'] }, proof),
      ),
    );
    expectRefused(
      await invoke(
        createApiKey,
        createKeyEvent(owner.ownerId, { name: 'Shop2', permissions: ['stores'] }, proof),
      ),
    );
    const response = await invoke(
      createApiKey,
      createKeyEvent(
        owner.ownerId,
        { name: 'Shop', description: '', permissions: ['sites.list', 'stores'] },
        proof,
      ),
    );
    expect(response.statusCode).toBe(201);
    const { apiKey, token } = response.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect((await keyStore().get(apiKey.keyId))?.permissions).toEqual(['sites.list', 'stores']);
  });

  it('is single use', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const patch = { description: 'once' };
    const proof = await requestCode(owner, { action: 'update', keyId: key.apiKey.keyId, request: patch });
    expect(
      (await invoke(updateApiKey, updateEvent(owner.ownerId, key.apiKey.keyId, proof, patch))).statusCode,
    ).toBe(200);
    expectRefusedAs(
      await invoke(updateApiKey, updateEvent(owner.ownerId, key.apiKey.keyId, proof, patch)),
      'verification_used',
    );
    expect(await challengeItem(owner, proof.verificationId)).toMatchObject({ consumed: true });
    expect(await keyStore().get(key.apiKey.keyId)).toMatchObject({ description: 'once', version: 2 });
  });

  it('refuses a code past its expiry even while the item is still in the table', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const proof = await requestCode(owner, { action: 'delete', keyId: key.apiKey.keyId });
    // TTL deletion lags: the item stays, with its expiry in the past.
    await db.send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf.verification(owner.account.accountId, proof.verificationId),
        UpdateExpression: 'SET #e = :past',
        ExpressionAttributeNames: { '#e': 'expiresAt' },
        ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
      }),
    );
    expectRefusedAs(
      await invoke(deleteApiKey, deleteEvent(owner.ownerId, key.apiKey.keyId, proof)),
      'verification_expired',
    );
    expect(await challengeItem(owner, proof.verificationId)).toMatchObject({ consumed: false });
    expect(await keyStore().get(key.apiKey.keyId)).toBeDefined();
  });

  it('dies after 5 wrong tries: then even the right code fails', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const proof = await requestCode(owner, { action: 'rotate', keyId: key.apiKey.keyId });
    for (let i = 1; i <= 5; i++) {
      const wrong = { ...proof, code: wrongCode(proof.code) };
      const response = await invoke(rotateApiKey, rotateEvent(owner.ownerId, key.apiKey.keyId, wrong));
      expectRefusedAs(response, 'verification_failed');
      expect(response.json).toMatchObject({ error: { details: { triesLeft: 5 - i } } });
      expect(await challengeItem(owner, proof.verificationId)).toMatchObject({ attempts: i });
    }
    expectRefusedAs(
      await invoke(rotateApiKey, rotateEvent(owner.ownerId, key.apiKey.keyId, proof)),
      'verification_exhausted',
    );
    expect(await challengeItem(owner, proof.verificationId)).toMatchObject({ attempts: 5, consumed: false });
    expect(await keyStore().get(key.apiKey.keyId)).toMatchObject({
      version: 1,
      tokenHash: expect.any(String),
    });
    const guard = await db.send(
      new GetCommand({
        TableName: tableName(),
        Key: keyOf.memberGuard(owner.account.accountId, owner.ownerId),
      }),
    );
    expect(guard.Item?.failures).toBe(6);
  });

  it('lets exactly one of many parallel submissions of one correct code through', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const proof = await requestCode(owner, { action: 'rotate', keyId: key.apiKey.keyId });
    const responses = await Promise.all(
      Array.from({ length: 8 }, () =>
        invoke(rotateApiKey, rotateEvent(owner.ownerId, key.apiKey.keyId, proof)),
      ),
    );
    const winners = responses.filter((r) => r.statusCode === 200);
    expect(winners).toHaveLength(1);
    for (const loser of responses.filter((r) => r.statusCode !== 200)) {
      expectRefusedAs(loser, 'verification_used');
    }
    const { token } = (winners[0]?.json ?? {}) as { token: string };
    rememberSecret(token);
    const stored = await keyStore().get(key.apiKey.keyId);
    expect(stored?.version).toBe(2);
    expect(stored !== undefined && (await pepperRing().verifyToken(token, stored))).toBe(true);
  });
});

describe('one member cannot stop another from revoking a key', () => {
  it("a second member's 160 bogus confirmations, 40 at a time, lock only that member; the owner still revokes", async () => {
    const owner = await seedAccount();
    const leaked = await createKey(owner, { name: 'Leaked', permissions: ['stores'] });
    const attacker = `user-attacker-${owner.account.accountId}`;
    await accountStore().addMember({
      userId: attacker,
      accountId: owner.account.accountId,
      role: 'admin',
      createdAt: new Date().toISOString(),
    });
    // The attacker also uses up their own codes.
    for (let i = 0; i < 5; i++) {
      const sent = await invoke(
        startVerification,
        startVerificationEvent(attacker, { action: 'delete', keyId: leaked.apiKey.keyId }),
      );
      expect(sent.statusCode).toBe(201);
    }

    const responses: { statusCode: number; json: unknown; headers: Record<string, string> }[] = [];
    for (let batch = 0; batch < 4; batch++) {
      responses.push(
        ...(await Promise.all(
          Array.from({ length: 40 }, () =>
            invoke(
              deleteApiKey,
              deleteEvent(attacker, leaked.apiKey.keyId, {
                verificationId: newVerificationId(),
                code: '000000',
              }),
            ),
          ),
        )),
      );
    }
    expect(responses.filter((r) => r.statusCode === 403)).toHaveLength(100);
    const locked = responses.filter((r) => r.statusCode === 429);
    expect(locked).toHaveLength(60);
    for (const response of locked) {
      expect(response.json).toMatchObject({ error: { code: 'member_locked' } });
      expect(Number(response.headers['Retry-After'])).toBeGreaterThan(3500);
    }
    const guard = await db.send(
      new GetCommand({ TableName: tableName(), Key: keyOf.memberGuard(owner.account.accountId, attacker) }),
    );
    expect(guard.Item?.failures).toBe(100);

    // The owner asks for a code and revokes the leaked key; its token stops working at once.
    const proof = await requestCode(owner, { action: 'delete', keyId: leaked.apiKey.keyId });
    const revoked = await invoke(deleteApiKey, deleteEvent(owner.ownerId, leaked.apiKey.keyId, proof));
    expect(revoked.statusCode).toBe(204);
    expect(await keyStore().get(leaked.apiKey.keyId)).toBeUndefined();
    const stored = await keyStore().get(leaked.apiKey.keyId);
    expect(stored !== undefined && (await pepperRing().verifyToken(leaked.token, stored))).toBe(false);
  });
});

describe('a duplicate code binds what the copy will get', () => {
  it('refuses a code approved while the source had no permissions once the source was edited to all six', async () => {
    const owner = await seedAccount();
    const source = await createKey(owner, { name: 'Bare', permissions: [] });
    const body = { name: 'Copy' };
    const approved = await requestCode(owner, {
      action: 'duplicate',
      keyId: source.apiKey.keyId,
      request: body,
    });
    const approvedMail = await latestEmailTo(owner.account.email);
    expect(approvedMail.text).toMatch(/Permissions: +sites\.list \(List sites, whole account\)\n/);

    const everything = ['sites.list', 'stores', 'bookings', 'events', 'contacts', 'accounts.manage'];
    const patch = { permissions: everything };
    const editProof = await requestCode(owner, {
      action: 'update',
      keyId: source.apiKey.keyId,
      request: patch,
    });
    expect(
      (await invoke(updateApiKey, updateEvent(owner.ownerId, source.apiKey.keyId, editProof, patch)))
        .statusCode,
    ).toBe(200);

    const duplicateEvent = (proof: Proof) =>
      managementEvent({
        method: 'POST',
        path: `/v1/api-keys/${source.apiKey.keyId}/duplicate`,
        routeKey: 'POST /v1/api-keys/{keyId}/duplicate',
        userId: owner.ownerId,
        pathParameters: { keyId: source.apiKey.keyId },
        body,
        headers: proofHeaders(proof),
      });
    const keysBefore = (await scanTable()).filter((item) => String(item.pk).startsWith('KEY#')).length;
    expectRefused(await invoke(duplicateApiKey, duplicateEvent(approved)));
    expect((await scanTable()).filter((item) => String(item.pk).startsWith('KEY#'))).toHaveLength(keysBefore);
    expect(await challengeItem(owner, approved.verificationId)).toMatchObject({ consumed: false });

    // A code asked for now says what the copy gets, and works.
    const fresh = await requestCode(owner, {
      action: 'duplicate',
      keyId: source.apiKey.keyId,
      request: body,
    });
    expect((await latestEmailTo(owner.account.email)).text).toContain(
      'accounts.manage (Manage accounts, whole account)',
    );
    const copied = await invoke(duplicateApiKey, duplicateEvent(fresh));
    expect(copied.statusCode).toBe(201);
    const { apiKey, token } = copied.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect(apiKey.permissions).toEqual(everything);
  });
});
