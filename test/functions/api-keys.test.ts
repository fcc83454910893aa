import { describe, expect, it, vi } from 'vitest';
import { handler as createApiKey } from '../../functions/api-keys/create-api-key';
import { handler as deleteApiKey } from '../../functions/api-keys/delete-api-key';
import { handler as duplicateApiKey } from '../../functions/api-keys/duplicate-api-key';
import { handler as getApiKey } from '../../functions/api-keys/get-api-key';
import { handler as listApiKeys } from '../../functions/api-keys/list-api-keys';
import { handler as rotateApiKey } from '../../functions/api-keys/rotate-api-key';
import { handler as updateApiKey } from '../../functions/api-keys/update-api-key';
import { handler as startVerification } from '../../functions/verifications/start-verification';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { parseToken } from '../../shared/domain/token';
import { pepperRing } from '../../shared/wiring/pepper';
import { keyStore } from '../../shared/wiring/stores';
import { type SeededAccount, seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';
import { emailsTo } from '../support/inbox';
import {
  allStoredStrings,
  createKey,
  createKeyEvent,
  type Proof,
  proofHeaders,
  requestCode,
  startVerificationEvent,
} from '../support/key-lifecycle';
import { rememberSecret } from '../support/log-capture';

const keyPath = (keyId: string) => `/v1/api-keys/${keyId}`;

function getEvent(userId: string | undefined, keyId: string) {
  return managementEvent({
    method: 'GET',
    path: keyPath(keyId),
    routeKey: 'GET /v1/api-keys/{keyId}',
    userId,
    pathParameters: { keyId },
  });
}

function listEvent(userId: string | undefined, query?: Record<string, string>) {
  return managementEvent({
    method: 'GET',
    path: '/v1/api-keys',
    routeKey: 'GET /v1/api-keys',
    userId,
    ...(query === undefined ? {} : { query }),
  });
}

function keyedEvent(
  route: 'rotate' | 'duplicate' | 'update' | 'delete',
  userId: string | undefined,
  keyId: string,
  proof: Proof,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  const shape = {
    rotate: {
      method: 'POST',
      path: `${keyPath(keyId)}/rotate`,
      routeKey: 'POST /v1/api-keys/{keyId}/rotate',
    },
    duplicate: {
      method: 'POST',
      path: `${keyPath(keyId)}/duplicate`,
      routeKey: 'POST /v1/api-keys/{keyId}/duplicate',
    },
    update: { method: 'PATCH', path: keyPath(keyId), routeKey: 'PATCH /v1/api-keys/{keyId}' },
    delete: { method: 'DELETE', path: keyPath(keyId), routeKey: 'DELETE /v1/api-keys/{keyId}' },
  }[route];
  return managementEvent({
    ...shape,
    userId,
    pathParameters: { keyId },
    body: options.body,
    headers: { ...proofHeaders(proof), ...options.headers },
  });
}

async function storedKey(keyId: string) {
  return keyStore().get(keyId);
}

async function tokenWorks(token: string): Promise<boolean> {
  const parsed = parseToken(token);
  if (parsed === undefined) return false;
  const record = await keyStore().get(parsed.keyId);
  return record !== undefined && (await pepperRing().verifyToken(token, record));
}

describe('POST /v1/api-keys (generate)', () => {
  it('creates a key with normalised permissions and shows its token once', async () => {
    const owner = await seedAccount();
    const body = { name: '  Orders sync ', permissions: ['stores', 'stores', 'events'] };
    const proof = await requestCode(owner, { action: 'create', request: body });
    const response = await invoke(createApiKey, createKeyEvent(owner.ownerId, body, proof));

    expect(response.statusCode).toBe(201);
    expect(response.headers['Cache-Control']).toBe('no-store');
    expect(response.headers.ETag).toBe('"1"');
    const { apiKey, token } = response.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect(apiKey).toEqual({
      keyId: expect.any(String),
      name: 'Orders sync',
      description: '',
      permissions: ['sites.list', 'stores', 'events'],
      siteIds: null,
      expiresAt: null,
      status: 'active',
      allowedIps: [],
      graceEndsAt: null,
      createdAt: expect.any(String),
      updatedAt: apiKey.createdAt,
      lastUsedAt: null,
    });
    expect(parseToken(token)?.keyId).toBe(apiKey.keyId);

    const stored = await storedKey(apiKey.keyId);
    expect(stored).toMatchObject({
      accountId: owner.account.accountId,
      name: 'Orders sync',
      permissions: ['sites.list', 'stores', 'events'],
      siteIds: owner.account.sites.map((s) => s.siteId),
      createdBy: owner.ownerId,
      version: 1,
      pepperVersion: 1,
    });
    expect(await tokenWorks(token)).toBe(true);

    // Show once: no later response and no table item carries the token or the code.
    const got = await invoke(getApiKey, getEvent(owner.ownerId, apiKey.keyId));
    const listed = await invoke(listApiKeys, listEvent(owner.ownerId));
    for (const later of [got, listed]) {
      expect(later.statusCode).toBe(200);
      expect(later.body).not.toContain(token);
      expect(JSON.stringify(later.json)).not.toMatch(/token/i);
    }
    const strings = await allStoredStrings();
    expect(strings.some((s) => s.includes(token))).toBe(false);
    expect(strings.some((s) => s.includes(token.slice(30)))).toBe(false);
    expect(strings).not.toContain(proof.code);
  });

  it('refuses unknown permissions with 400 naming every one of them, before any code is sent', async () => {
    const owner = await seedAccount();
    const body = { name: 'Bad', permissions: ['stores', 'billing', 'teleport'] };
    const expected = {
      error: { code: 'unknown_permission', details: { unknownPermissions: ['billing', 'teleport'] } },
    };
    const codeRequest = await invoke(
      startVerification,
      startVerificationEvent(owner.ownerId, { action: 'create', request: body }),
    );
    expect(codeRequest.statusCode).toBe(400);
    expect(codeRequest.json).toMatchObject(expected);
    expect(await emailsTo(owner.account.email)).toEqual([]);

    const action = await invoke(
      createApiKey,
      createKeyEvent(owner.ownerId, body, { verificationId: '0'.repeat(24), code: '000000' }),
    );
    expect(action.statusCode).toBe(400);
    expect(action.json).toMatchObject(expected);
    expect((action.json as { error: { message: string } }).error.message).toContain('billing, teleport');
  });

  it('refuses a name that is empty or longer than 100 characters, and unknown fields', async () => {
    const owner = await seedAccount();
    const proof = { verificationId: '0'.repeat(24), code: '000000' };
    for (const body of [
      { name: '', permissions: [] },
      { name: 'x'.repeat(101), permissions: [] },
      { name: 'ok', description: 'd'.repeat(501), permissions: [] },
      { name: 'ok', permissions: [], accountId: 'someone-else' },
      { permissions: [] },
    ]) {
      const response = await invoke(createApiKey, createKeyEvent(owner.ownerId, body, proof));
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json).toMatchObject({ error: { code: 'validation_failed' } });
    }
    expect(await invoke(listApiKeys, listEvent(owner.ownerId))).toMatchObject({ json: { apiKeys: [] } });
  });
});

describe('names and descriptions are plain text', () => {
  const TRAPS = [
    'Safe key\n\nYour verification code: 000000',
    'tab\there',
    'bell\u0007',
    'Payroll \u202egnp.exe',
    'isolate \u2066x\u2069',
    'line\u2028separator',
    'nul\u0000',
  ];

  it('refuses control characters and bidirectional overrides with 400 naming the field, on every route that takes them', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const proof = { verificationId: '0'.repeat(24), code: '000000' };
    const sentBefore = (await emailsTo(owner.account.email)).length;
    for (const trap of TRAPS) {
      for (const field of ['name', 'description'] as const) {
        const fields = field === 'name' ? { name: trap } : { name: 'ok', description: trap };
        const attempts = [
          () => invoke(createApiKey, createKeyEvent(owner.ownerId, { ...fields, permissions: [] }, proof)),
          () =>
            invoke(
              updateApiKey,
              keyedEvent('update', owner.ownerId, key.apiKey.keyId, proof, { body: fields }),
            ),
          () =>
            invoke(
              duplicateApiKey,
              keyedEvent('duplicate', owner.ownerId, key.apiKey.keyId, proof, { body: fields }),
            ),
          () =>
            invoke(
              startVerification,
              startVerificationEvent(owner.ownerId, {
                action: 'create',
                request: { ...fields, permissions: [] },
              }),
            ),
        ];
        for (const attempt of attempts) {
          const response = await attempt();
          expect(response.statusCode, `${field}: ${JSON.stringify(trap)}`).toBe(400);
          expect(response.json).toMatchObject({
            error: {
              code: 'validation_failed',
              message: expect.stringContaining(`${field} must not contain control characters`),
              details: {
                issues: [{ path: expect.stringMatching(new RegExp(`^body\\.(request\\.)?${field}$`)) }],
              },
            },
          });
        }
      }
    }
    expect(await emailsTo(owner.account.email)).toHaveLength(sentBefore);
    expect(await storedKey(key.apiKey.keyId)).toMatchObject({ name: key.apiKey.name, version: 1 });
  });

  it('accepts ordinary text in any script, emoji and joiners included', async () => {
    const owner = await seedAccount();
    const name = 'Zahlungen – شحن 🚚 👩‍💻';
    const created = await createKey(owner, { name, description: 'Ünïcödé, 日本語', permissions: [] });
    expect(created.apiKey.name).toBe(name);
  });
});

describe('GET /v1/api-keys and GET /v1/api-keys/{keyId}', () => {
  it('lists newest first, paginated with an opaque cursor', async () => {
    const owner = await seedAccount();
    const first = await createKey(owner, { name: 'first', permissions: [] });
    const second = await createKey(owner, { name: 'second', permissions: ['contacts'] });
    const third = await createKey(owner, { name: 'third', permissions: ['bookings'] });

    const page1 = await invoke(listApiKeys, listEvent(owner.ownerId, { limit: '2' }));
    expect(page1.statusCode).toBe(200);
    const body1 = page1.json as { apiKeys: PublicApiKey[]; nextCursor?: string };
    expect(body1.apiKeys.map((k) => k.name)).toEqual(['third', 'second']);
    expect(body1.nextCursor).toEqual(expect.any(String));

    const page2 = await invoke(
      listApiKeys,
      listEvent(owner.ownerId, { limit: '2', cursor: body1.nextCursor ?? '' }),
    );
    const body2 = page2.json as { apiKeys: PublicApiKey[]; nextCursor?: string };
    expect(body2.apiKeys.map((k) => k.keyId)).toEqual([first.apiKey.keyId]);
    expect(body2.nextCursor).toBeUndefined();

    const one = await invoke(getApiKey, getEvent(owner.ownerId, second.apiKey.keyId));
    expect(one.statusCode).toBe(200);
    expect(one.headers.ETag).toBe('"1"');
    expect(one.json).toEqual({ apiKey: second.apiKey });
    expect(third.apiKey.permissions).toEqual(['sites.list', 'bookings']);
  });

  it('refuses a bad limit or cursor with 400', async () => {
    const owner = await seedAccount();
    const queries: Record<string, string>[] = [
      { limit: '0' },
      { limit: '101' },
      { limit: 'ten' },
      { cursor: 'not-a-cursor' },
    ];
    for (const query of queries) {
      const response = await invoke(listApiKeys, listEvent(owner.ownerId, query));
      expect(response.statusCode, JSON.stringify(query)).toBe(400);
    }
  });

  it("never lists or shows another account's keys", async () => {
    const owner = await seedAccount();
    const stranger = await seedAccount();
    const key = await createKey(owner);
    expect(await invoke(listApiKeys, listEvent(stranger.ownerId))).toMatchObject({
      statusCode: 200,
      json: { apiKeys: [] },
    });
    const response = await invoke(getApiKey, getEvent(stranger.ownerId, key.apiKey.keyId));
    expect(response.statusCode).toBe(404);
    expect(response.json).toEqual({ error: { code: 'not_found', message: 'API key not found' } });
  });
});

describe('POST /v1/api-keys/{keyId}/rotate', () => {
  it('keeps name, description and permissions, issues a new token and kills the old one at once', async () => {
    const owner = await seedAccount();
    const original = await createKey(owner, {
      name: 'Bookings',
      description: 'Front desk',
      permissions: ['bookings'],
    });
    const proof = await requestCode(owner, { action: 'rotate', keyId: original.apiKey.keyId });
    const response = await invoke(
      rotateApiKey,
      keyedEvent('rotate', owner.ownerId, original.apiKey.keyId, proof),
    );

    expect(response.statusCode).toBe(200);
    expect(response.headers['Cache-Control']).toBe('no-store');
    expect(response.headers.ETag).toBe('"2"');
    const { apiKey, token } = response.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect(apiKey).toMatchObject({
      keyId: original.apiKey.keyId,
      name: 'Bookings',
      description: 'Front desk',
      permissions: ['sites.list', 'bookings'],
      createdAt: original.apiKey.createdAt,
    });
    expect(token).not.toBe(original.token);
    expect(await tokenWorks(original.token)).toBe(false);
    expect(await tokenWorks(token)).toBe(true);
    expect(await storedKey(apiKey.keyId)).toMatchObject({ version: 2, updatedBy: owner.ownerId });
    const strings = await allStoredStrings();
    expect(strings.some((s) => s.includes(token) || s.includes(original.token))).toBe(false);
  });
});

describe('POST /v1/api-keys/{keyId}/duplicate', () => {
  it('copies permissions and description unless given, with a new key id and token', async () => {
    const owner = await seedAccount();
    const source = await createKey(owner, { name: 'Source', description: 'desc', permissions: ['events'] });
    const body = { name: 'Copy' };
    const proof = await requestCode(owner, {
      action: 'duplicate',
      keyId: source.apiKey.keyId,
      request: body,
    });
    const response = await invoke(
      duplicateApiKey,
      keyedEvent('duplicate', owner.ownerId, source.apiKey.keyId, proof, { body }),
    );
    expect(response.statusCode).toBe(201);
    const { apiKey, token } = response.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect(apiKey).toMatchObject({
      name: 'Copy',
      description: 'desc',
      permissions: ['sites.list', 'events'],
    });
    expect(apiKey.keyId).not.toBe(source.apiKey.keyId);
    expect(await tokenWorks(token)).toBe(true);
    expect(await tokenWorks(source.token)).toBe(true);
    expect(await storedKey(apiKey.keyId)).toMatchObject({
      accountId: owner.account.accountId,
      siteIds: owner.account.sites.map((s) => s.siteId),
      version: 1,
    });
  });

  it('uses the permissions given, normalised', async () => {
    const owner = await seedAccount();
    const source = await createKey(owner, { name: 'Source', permissions: ['events'] });
    const body = { name: 'Copy', permissions: ['contacts', 'sites.list', 'contacts'] };
    const proof = await requestCode(owner, {
      action: 'duplicate',
      keyId: source.apiKey.keyId,
      request: body,
    });
    const response = await invoke(
      duplicateApiKey,
      keyedEvent('duplicate', owner.ownerId, source.apiKey.keyId, proof, { body }),
    );
    expect(response.statusCode).toBe(201);
    const { apiKey, token } = response.json as { apiKey: PublicApiKey; token: string };
    rememberSecret(token);
    expect(apiKey.permissions).toEqual(['sites.list', 'contacts']);
    expect((await storedKey(apiKey.keyId))?.permissions).toEqual(['sites.list', 'contacts']);
  });
});

describe('PATCH /v1/api-keys/{keyId}', () => {
  it('edits name, description and permissions, bumps the version, and keeps the token working', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner, { name: 'Before', permissions: ['stores'] });
    const patch = { name: 'After', permissions: ['contacts'] };
    const proof = await requestCode(owner, { action: 'update', keyId: key.apiKey.keyId, request: patch });
    const response = await invoke(
      updateApiKey,
      keyedEvent('update', owner.ownerId, key.apiKey.keyId, proof, {
        body: patch,
        headers: { 'If-Match': '"1"' },
      }),
    );
    expect(response.statusCode).toBe(200);
    expect(response.headers.ETag).toBe('"2"');
    expect(response.json).toEqual({
      apiKey: {
        ...key.apiKey,
        name: 'After',
        permissions: ['sites.list', 'contacts'],
        updatedAt: expect.any(String),
      },
    });
    expect(JSON.stringify(response.json)).not.toMatch(/token/i);
    expect(await storedKey(key.apiKey.keyId)).toMatchObject({
      name: 'After',
      description: '',
      permissions: ['sites.list', 'contacts'],
      version: 2,
    });
    expect(await tokenWorks(key.token)).toBe(true);
  });

  it('refuses a stale If-Match with 412 before spending the code', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const patch = { description: 'new' };
    const proof = await requestCode(owner, { action: 'update', keyId: key.apiKey.keyId, request: patch });
    const stale = await invoke(
      updateApiKey,
      keyedEvent('update', owner.ownerId, key.apiKey.keyId, proof, {
        body: patch,
        headers: { 'if-match': '"7"' },
      }),
    );
    expect(stale.statusCode).toBe(412);
    expect(stale.json).toMatchObject({ error: { code: 'precondition_failed' } });
    const malformed = await invoke(
      updateApiKey,
      keyedEvent('update', owner.ownerId, key.apiKey.keyId, proof, {
        body: patch,
        headers: { 'if-match': 'seven' },
      }),
    );
    expect(malformed.statusCode).toBe(400);
    expect((await storedKey(key.apiKey.keyId))?.version).toBe(1);

    const fresh = await invoke(
      updateApiKey,
      keyedEvent('update', owner.ownerId, key.apiKey.keyId, proof, { body: patch }),
    );
    expect(fresh.statusCode).toBe(200);
    expect((await storedKey(key.apiKey.keyId))?.description).toBe('new');
  });

  it('refuses an empty patch with 400', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const response = await invoke(
      updateApiKey,
      keyedEvent(
        'update',
        owner.ownerId,
        key.apiKey.keyId,
        { verificationId: '0'.repeat(24), code: '123456' },
        { body: {} },
      ),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'validation_failed' } });
  });
});

describe('DELETE /v1/api-keys/{keyId}', () => {
  it('deletes the key: 204, the token dies at once, and later calls are 404', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const proof = await requestCode(owner, { action: 'delete', keyId: key.apiKey.keyId });
    const response = await invoke(deleteApiKey, keyedEvent('delete', owner.ownerId, key.apiKey.keyId, proof));
    expect(response.statusCode).toBe(204);
    expect(response.body).toBe('');
    expect(await storedKey(key.apiKey.keyId)).toBeUndefined();
    expect(await tokenWorks(key.token)).toBe(false);
    expect((await invoke(getApiKey, getEvent(owner.ownerId, key.apiKey.keyId))).statusCode).toBe(404);
    const again = await invoke(deleteApiKey, keyedEvent('delete', owner.ownerId, key.apiKey.keyId, proof));
    expect(again.statusCode).toBe(404);
  });
});

describe("another account's key is 404 on every keyed route", () => {
  it('answers exactly like a missing key, and changes nothing', async () => {
    const owner = await seedAccount();
    const stranger = await seedAccount();
    const key = await createKey(owner);
    const before = await storedKey(key.apiKey.keyId);
    const fakeProof = { verificationId: '0'.repeat(24), code: '123456' };
    const missing = '01jzzzzzzzzzzzzzzzzzzzzzzz';

    for (const keyId of [key.apiKey.keyId, missing, 'not-a-key-id']) {
      const responses = [
        await invoke(getApiKey, getEvent(stranger.ownerId, keyId)),
        await invoke(rotateApiKey, keyedEvent('rotate', stranger.ownerId, keyId, fakeProof)),
        await invoke(
          duplicateApiKey,
          keyedEvent('duplicate', stranger.ownerId, keyId, fakeProof, { body: { name: 'x' } }),
        ),
        await invoke(
          updateApiKey,
          keyedEvent('update', stranger.ownerId, keyId, fakeProof, { body: { name: 'x' } }),
        ),
        await invoke(deleteApiKey, keyedEvent('delete', stranger.ownerId, keyId, fakeProof)),
      ];
      for (const response of responses) {
        expect(response.statusCode, keyId).toBe(404);
        expect(response.json).toEqual({ error: { code: 'not_found', message: 'API key not found' } });
      }
    }
    // A code request naming another account's key is refused the same way, and no mail is sent.
    for (const action of ['rotate', 'delete', 'duplicate', 'update'] as const) {
      const request = action === 'duplicate' || action === 'update' ? { name: 'x' } : undefined;
      const response = await invoke(
        startVerification,
        startVerificationEvent(stranger.ownerId, {
          action,
          keyId: key.apiKey.keyId,
          ...(request ? { request } : {}),
        }),
      );
      expect(response.statusCode, action).toBe(404);
      expect(response.json).toEqual({ error: { code: 'not_found', message: 'API key not found' } });
    }
    expect(await storedKey(key.apiKey.keyId)).toEqual(before);
  });
});

describe('the HTTP edge', () => {
  async function ownerWithKey(): Promise<SeededAccount & { keyId: string }> {
    const owner = await seedAccount();
    const key = await createKey(owner);
    return { ...owner, keyId: key.apiKey.keyId };
  }
  const proof = { verificationId: '0'.repeat(24), code: '123456' };

  it('refuses bad JSON with 400 invalid_json', async () => {
    const owner = await ownerWithKey();
    const response = await invoke(
      updateApiKey,
      managementEvent({
        method: 'PATCH',
        path: keyPath(owner.keyId),
        routeKey: 'PATCH /v1/api-keys/{keyId}',
        userId: owner.ownerId,
        pathParameters: { keyId: owner.keyId },
        rawBody: '{"name": ',
        headers: { 'content-type': 'application/json', ...proofHeaders(proof) },
      }),
    );
    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('refuses a body that is not JSON with 415', async () => {
    const owner = await seedAccount();
    const response = await invoke(
      createApiKey,
      managementEvent({
        method: 'POST',
        path: '/v1/api-keys',
        routeKey: 'POST /v1/api-keys',
        userId: owner.ownerId,
        rawBody: 'name=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...proofHeaders(proof) },
      }),
    );
    expect(response.statusCode).toBe(415);
    expect(response.json).toMatchObject({ error: { code: 'unsupported_media_type' } });
  });

  it('refuses an oversized body with 413', async () => {
    const owner = await ownerWithKey();
    const response = await invoke(
      duplicateApiKey,
      keyedEvent('duplicate', owner.ownerId, owner.keyId, proof, {
        body: { name: 'x', description: 'y'.repeat(20_000) },
      }),
    );
    expect(response.statusCode).toBe(413);
    expect(response.json).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('refuses a missing or malformed verification header with 400 naming it', async () => {
    const owner = await ownerWithKey();
    const base = {
      method: 'DELETE',
      path: keyPath(owner.keyId),
      routeKey: 'DELETE /v1/api-keys/{keyId}',
      userId: owner.ownerId,
      pathParameters: { keyId: owner.keyId },
    };
    const noCode = await invoke(
      deleteApiKey,
      managementEvent({ ...base, headers: { 'x-verification-id': proof.verificationId } }),
    );
    expect(noCode.statusCode).toBe(400);
    expect((noCode.json as { error: { message: string } }).error.message).toContain('X-Verification-Code');
    const noId = await invoke(
      deleteApiKey,
      managementEvent({ ...base, headers: { 'x-verification-code': '123456' } }),
    );
    expect(noId.statusCode).toBe(400);
    expect((noId.json as { error: { message: string } }).error.message).toContain('X-Verification-Id');
    const shortCode = await invoke(
      deleteApiKey,
      managementEvent({ ...base, headers: { ...proofHeaders({ ...proof, code: '12345' }) } }),
    );
    expect(shortCode.statusCode).toBe(400);
    expect(await storedKey(owner.keyId)).toBeDefined();
  });

  it('refuses a caller with no JWT subject with 401 on every route, and a non-member with 403', async () => {
    const keyId = '01jzzzzzzzzzzzzzzzzzzzzzzz';
    const body = { name: 'x', permissions: [] };
    for (const userId of [undefined, 'user-with-no-account']) {
      const as = userId;
      const responses = [
        await invoke(listApiKeys, listEvent(as)),
        await invoke(getApiKey, getEvent(as, keyId)),
        await invoke(startVerification, startVerificationEvent(as, { action: 'create', request: body })),
        await invoke(createApiKey, createKeyEvent(as, body, proof)),
        await invoke(rotateApiKey, keyedEvent('rotate', as, keyId, proof)),
        await invoke(duplicateApiKey, keyedEvent('duplicate', as, keyId, proof, { body })),
        await invoke(updateApiKey, keyedEvent('update', as, keyId, proof, { body })),
        await invoke(deleteApiKey, keyedEvent('delete', as, keyId, proof)),
      ];
      for (const response of responses) {
        expect(response.statusCode).toBe(userId === undefined ? 401 : 403);
        expect(response.json).toMatchObject({
          error: { code: userId === undefined ? 'unauthorized' : 'no_account' },
        });
      }
    }
  });
});

describe('cold start settings', () => {
  it('get needs only the table (granted table:read and nothing else); list also needs the pepper, for its cursors', async () => {
    const owner = await seedAccount();
    const key = await createKey(owner);
    const saved = { ...process.env };
    for (const name of [
      'LATCHKEY_PEPPERS',
      'LATCHKEY_LOCAL_MASTER_KEY',
      'LATCHKEY_KEY_PROVIDER',
      'LATCHKEY_MAIL_FROM',
    ]) {
      delete process.env[name];
    }
    try {
      vi.resetModules();
      const get = await import('../../functions/api-keys/get-api-key');
      expect((await invoke(get.handler, getEvent(owner.ownerId, key.apiKey.keyId))).statusCode).toBe(200);
      // A function that does need the pepper refuses to start without it, naming the setting.
      await expect(import('../../functions/api-keys/rotate-api-key')).rejects.toThrow('LATCHKEY_PEPPERS');
      await expect(import('../../functions/api-keys/list-api-keys')).rejects.toThrow('LATCHKEY_PEPPERS');
    } finally {
      Object.assign(process.env, saved);
    }
  });
});
