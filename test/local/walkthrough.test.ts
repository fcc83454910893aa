import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAdmin } from '../../cli/admin';
import { DEMO_ACCOUNTS } from '../../local/demo';
import type { RunningLatchkey } from '../../local/server';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import { capturedOutput, rememberSecret, secretsIssued } from '../support/log-capture';
import { bearer, call, devToken, startTestStack } from './local-stack';

/**
 * The README walkthrough, end to end through the real local server, exactly as a user runs it with
 * curl: dev token, account, permissions, a code from the inbox for every sensitive action, generate,
 * list, call the protected API with the token, rotate, duplicate, edit, delete.
 */
let stack: RunningLatchkey;
let jwt: string;
const [jane, omar] = DEMO_ACCOUNTS;
if (jane === undefined || omar === undefined) throw new Error('two demo accounts expected');

beforeAll(async () => {
  stack = await startTestStack();
  jwt = await devToken(stack);
});

afterAll(async () => {
  await stack.close();
});

interface PublicKey {
  keyId: string;
  name: string;
  description: string;
  permissions: string[];
  createdAt: string;
  updatedAt: string;
  lastUsedAt: string | null;
}

/** Who acts: the Acme owner unless a test signs in as another demo owner. */
interface Session {
  readonly jwt: string;
  readonly account: (typeof DEMO_ACCOUNTS)[number];
}
const acme = (): Session => ({ jwt, account: jane });

const json = (body: unknown, extra: Record<string, string> = {}, as: Session = acme()) => ({
  headers: { ...bearer(as.jwt), 'content-type': 'application/json', ...extra },
  body: JSON.stringify(body),
});

/** POST /v1/verifications, then the code from the newest mail in /local/inbox, as a user would. */
async function verify(action: string, keyId: string | undefined, request?: unknown, as: Session = acme()) {
  const started = await call(`${stack.url}/v1/verifications`, {
    method: 'POST',
    ...json(
      {
        action,
        ...(keyId === undefined ? {} : { keyId }),
        ...(request === undefined ? {} : { request }),
      },
      {},
      as,
    ),
  });
  expect(started.status, started.text).toBe(201);
  const { verificationId, sentTo, expiresAt } = started.json as Record<string, string>;
  expect(sentTo).toBe(
    `${as.account.email.charAt(0)}***${as.account.email.slice(as.account.email.indexOf('@'))}`,
  );
  expect(Date.parse(expiresAt ?? '')).toBeGreaterThan(Date.now());
  const inbox = await call(`${stack.url}/local/inbox`);
  const newest = (inbox.json as { emails: { to: string; subject: string; text: string }[] }).emails.find(
    (email) => email.to === as.account.email,
  );
  const title = {
    create: 'Generate',
    rotate: 'Rotate',
    duplicate: 'Duplicate',
    update: 'Edit',
    delete: 'Delete',
  };
  expect(newest?.subject).toContain(title[action as keyof typeof title]);
  const code = /verification code: (\d{6})/.exec(newest?.text ?? '')?.[1];
  if (code === undefined || verificationId === undefined) throw new Error('no code in the newest mail');
  rememberSecret(code);
  return { 'x-verification-id': verificationId, 'x-verification-code': code };
}

function protectedCall(path: string, token: string, siteId?: string, accountId = jane?.accountId ?? '') {
  return call(`${stack.url}${path}`, {
    headers: {
      authorization: token,
      'x-account-id': accountId,
      ...(siteId === undefined ? {} : { 'x-site-id': siteId }),
    },
  });
}

async function keyItem(keyId: string) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: stack.tableName, Key: keyOf.apiKey(keyId), ConsistentRead: true }),
  );
  return Item;
}

describe('the README walkthrough against the local server', () => {
  it('runs the whole key lifecycle and the protected API with the token', async () => {
    // Account ("Copy ID") and the permission catalog.
    const account = await call(`${stack.url}/v1/account`, { headers: bearer(jwt) });
    expect(account.json).toMatchObject({ accountId: jane.accountId, email: 'j***@acme.example' });
    const permissions = await call(`${stack.url}/v1/permissions`, { headers: bearer(jwt) });
    expect(permissions.status).toBe(200);

    // Generate: a code for exactly this body, then the key; the token is shown this once.
    const createBody = {
      name: 'Storefront sync',
      description: 'Nightly product import',
      permissions: ['stores'],
    };
    const created = await call(`${stack.url}/v1/api-keys`, {
      method: 'POST',
      ...json(createBody, await verify('create', undefined, createBody)),
    });
    expect(created.status, created.text).toBe(201);
    expect(created.headers.get('cache-control')).toBe('no-store');
    const { apiKey, token } = created.json as { apiKey: PublicKey; token: string };
    rememberSecret(token);
    expect(token).toMatch(/^lk_/);
    expect(apiKey).toMatchObject({
      name: 'Storefront sync',
      permissions: ['sites.list', 'stores'],
      lastUsedAt: null,
    });
    const stored = await keyItem(apiKey.keyId);
    expect(stored).toMatchObject({ accountId: jane.accountId, name: 'Storefront sync' });
    expect(JSON.stringify(stored)).not.toContain(token);

    // List and show: never the token.
    const list = await call(`${stack.url}/v1/api-keys`, { headers: bearer(jwt) });
    expect(list.status).toBe(200);
    expect((list.json as { apiKeys: PublicKey[] }).apiKeys.map((k) => k.keyId)).toEqual([apiKey.keyId]);
    expect(list.text).not.toContain(token);
    const shown = await call(`${stack.url}/v1/api-keys/${apiKey.keyId}`, { headers: bearer(jwt) });
    expect((shown.json as { apiKey: PublicKey }).apiKey.permissions).toEqual(['sites.list', 'stores']);
    expect(shown.text).not.toContain(token);

    // The protected API through the Lambda authorizer: both header forms, site scope, wrong site.
    const sites = await protectedCall('/v1/sites', token);
    expect(sites.status, sites.text).toBe(200);
    expect(sites.json).toEqual({ sites: jane.sites });
    expect((await protectedCall('/v1/sites', `Bearer ${token}`)).status).toBe(200);
    expect((await protectedCall('/v1/stores/products', token, 'acme-store')).status).toBe(200);
    const otherSite = await protectedCall('/v1/stores/products', token, 'globex-events');
    expect([otherSite.status, otherSite.json]).toEqual([403, { message: 'Forbidden' }]);
    const wrongAccount = await call(`${stack.url}/v1/sites`, {
      headers: { authorization: token, 'x-account-id': omar.accountId },
    });
    expect(wrongAccount.status).toBe(403);

    // Rotate: same key, new token; the old one stops working at once.
    const rotated = await call(`${stack.url}/v1/api-keys/${apiKey.keyId}/rotate`, {
      method: 'POST',
      headers: { ...bearer(jwt), ...(await verify('rotate', apiKey.keyId)) },
    });
    expect(rotated.status, rotated.text).toBe(200);
    const rotatedToken = (rotated.json as { token: string }).token;
    rememberSecret(rotatedToken);
    expect((rotated.json as { apiKey: PublicKey }).apiKey).toMatchObject({
      keyId: apiKey.keyId,
      name: 'Storefront sync',
      permissions: ['sites.list', 'stores'],
    });
    expect((await protectedCall('/v1/sites', token)).status).toBe(403);
    expect((await protectedCall('/v1/sites', rotatedToken)).status).toBe(200);

    // Duplicate: a new key with the source's permissions unless given.
    const duplicateBody = { name: 'Storefront sync (copy)' };
    const duplicated = await call(`${stack.url}/v1/api-keys/${apiKey.keyId}/duplicate`, {
      method: 'POST',
      ...json(duplicateBody, await verify('duplicate', apiKey.keyId, duplicateBody)),
    });
    expect(duplicated.status, duplicated.text).toBe(201);
    const copy = duplicated.json as { apiKey: PublicKey; token: string };
    rememberSecret(copy.token);
    expect(copy.apiKey.keyId).not.toBe(apiKey.keyId);
    expect(copy.apiKey.permissions).toEqual(['sites.list', 'stores']);
    expect((await protectedCall('/v1/stores/products', copy.token, 'acme-bookings')).status).toBe(200);

    // Edit: dropping `stores` takes effect on the next request.
    const patch = { name: 'Sites only', permissions: [] };
    const edited = await call(`${stack.url}/v1/api-keys/${apiKey.keyId}`, {
      method: 'PATCH',
      ...json(patch, await verify('update', apiKey.keyId, patch)),
    });
    expect(edited.status, edited.text).toBe(200);
    expect((edited.json as { apiKey: PublicKey }).apiKey).toMatchObject({
      name: 'Sites only',
      permissions: ['sites.list'],
    });
    expect(await keyItem(apiKey.keyId)).toMatchObject({ name: 'Sites only', permissions: ['sites.list'] });
    expect((await protectedCall('/v1/stores/products', rotatedToken, 'acme-store')).status).toBe(403);
    expect((await protectedCall('/v1/sites', rotatedToken)).status).toBe(200);

    // Delete: 204, the token dies at once, the key is gone from the table and from the API.
    const deleted = await call(`${stack.url}/v1/api-keys/${apiKey.keyId}`, {
      method: 'DELETE',
      headers: { ...bearer(jwt), ...(await verify('delete', apiKey.keyId)) },
    });
    expect(deleted.status, deleted.text).toBe(204);
    expect(await keyItem(apiKey.keyId)).toBeUndefined();
    expect((await call(`${stack.url}/v1/api-keys/${apiKey.keyId}`, { headers: bearer(jwt) })).status).toBe(
      404,
    );
    expect((await protectedCall('/v1/sites', rotatedToken)).status).toBe(403);

    // Another account's owner cannot see that the copy exists.
    const omarJwt = await devToken(stack, omar.accountId);
    const foreign = await call(`${stack.url}/v1/api-keys/${copy.apiKey.keyId}`, { headers: bearer(omarJwt) });
    expect(foreign.status).toBe(404);
  });

  it('a site the admin command adds is reachable with existing keys on the next request', async () => {
    // As the Globex owner: the walkthrough above spent Acme's five codes for this quarter hour.
    const globex: Session = { jwt: await devToken(stack, omar.accountId), account: omar };
    const body = { name: 'Events robot', permissions: ['events'] };
    const created = await call(`${stack.url}/v1/api-keys`, {
      method: 'POST',
      ...json(body, await verify('create', undefined, body, globex), globex),
    });
    expect(created.status, created.text).toBe(201);
    const { token } = created.json as { token: string };
    rememberSecret(token);
    expect((await protectedCall('/v1/sites', token, undefined, omar.accountId)).status).toBe(200);

    const output: string[] = [];
    const io = { out: (t: string) => output.push(t), err: (t: string) => output.push(t) };
    expect(
      await runAdmin(['add-site', '--account', omar.accountId, '--site', 'globex-shop=Globex Shop'], io),
    ).toBe(0);

    const sites = await protectedCall('/v1/sites', token, undefined, omar.accountId);
    expect(sites.json).toEqual({ sites: [...omar.sites, { siteId: 'globex-shop', name: 'Globex Shop' }] });
    const keyId = (created.json as { apiKey: PublicKey }).apiKey.keyId;
    expect((await keyItem(keyId))?.siteIds).toEqual(['globex-events', 'globex-shop']);
  });

  it('lets bodies between the handler limit and the server cap reach the handler, which answers 413', async () => {
    const answer = await call(`${stack.url}/v1/verifications`, {
      method: 'POST',
      ...json({
        action: 'create',
        request: { name: 'x', permissions: [], description: 'y'.repeat(64 * 1024) },
      }),
    });
    expect(answer.status).toBe(413);
    expect(answer.json).toMatchObject({ error: { code: 'payload_too_large' } });
  });

  it('answers bad JSON with a 400 naming the problem', async () => {
    const answer = await call(`${stack.url}/v1/verifications`, {
      method: 'POST',
      headers: { ...bearer(jwt), 'content-type': 'application/json' },
      body: '{"action": "create",',
    });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ error: { code: 'invalid_json' } });
  });

  it('printed one access-log line per request and never a token, JWT or code', () => {
    const output = capturedOutput();
    expect(output).toContain('Latchkey is running locally.');
    expect(output).toMatch(/"message":"http","method":"POST","path":"\/v1\/api-keys","status":201/);
    expect(secretsIssued().length).toBeGreaterThan(8);
    for (const secret of secretsIssued()) expect(output.includes(secret)).toBe(false);
  });
});
