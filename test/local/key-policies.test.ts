import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLatchkey } from '../../local/server';
import { TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import { accountStore, keyStore } from '../../shared/wiring/stores';
import { type SeededAccount, seedAccount } from '../support/accounts';
import { emailsTo, latestEmailTo } from '../support/inbox';
import { capturedOutput, rememberSecret } from '../support/log-capture';
import {
  call,
  devToken,
  management as managementCall,
  rawKeyItem,
  startTestStack,
  verificationHeaders,
} from './local-stack';

/**
 * Key policies end to end through the real local server: keys generated, edited and rotated through
 * the management API with codes read from the local inbox, then used on the sample protected API
 * behind the real authorizer, over the real local DynamoDB engine.
 */
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
  readonly siteA: string;
  readonly siteB: string;
}

async function newOwner(): Promise<Owner> {
  const seeded = await seedAccount();
  const [a, b] = seeded.account.sites;
  if (a === undefined || b === undefined) throw new Error('two sites expected');
  return {
    seeded,
    jwt: await devToken(stack, seeded.account.accountId),
    accountId: seeded.account.accountId,
    siteA: a.siteId,
    siteB: b.siteId,
  };
}

function management(owner: Owner, method: string, path: string, body?: unknown, extra = {}) {
  return managementCall(stack, owner.jwt, method, path, body, extra);
}

/** Asks for a code for exactly this request and reads it from the inbox. */
async function codeFor(owner: Owner, verification: Record<string, unknown>) {
  return verificationHeaders(stack, owner.jwt, owner.seeded.account.email, verification);
}

interface Issued {
  readonly apiKey: PublicApiKey;
  readonly token: string;
}

async function generate(owner: Owner, request: Record<string, unknown>): Promise<Issued> {
  const proof = await codeFor(owner, { action: 'create', request });
  const created = await management(owner, 'POST', '/v1/api-keys', request, proof);
  expect(created.status, created.text).toBe(201);
  const issued = created.json as Issued;
  rememberSecret(issued.token);
  return issued;
}

async function rotate(owner: Owner, keyId: string, body?: { gracePeriodSeconds: number }): Promise<Issued> {
  const proof = await codeFor(owner, {
    action: 'rotate',
    keyId,
    ...(body === undefined ? {} : { request: body }),
  });
  const rotated = await management(owner, 'POST', `/v1/api-keys/${keyId}/rotate`, body, proof);
  expect(rotated.status, rotated.text).toBe(200);
  const issued = rotated.json as Issued;
  rememberSecret(issued.token);
  return issued;
}

async function edit(owner: Owner, keyId: string, patch: Record<string, unknown>): Promise<PublicApiKey> {
  const proof = await codeFor(owner, { action: 'update', keyId, request: patch });
  const edited = await management(owner, 'PATCH', `/v1/api-keys/${keyId}`, patch, proof);
  expect(edited.status, edited.text).toBe(200);
  return (edited.json as { apiKey: PublicApiKey }).apiKey;
}

/** The protected API as a customer's integration calls it; answers the status only. */
async function use(
  owner: Owner,
  token: string,
  route: 'GET /v1/sites' | 'POST /v1/sites' | 'GET /v1/stores/products' | 'POST /v1/stores/products',
  siteId?: string,
): Promise<number> {
  const [method = 'GET', path = ''] = route.split(' ');
  const body =
    route === 'POST /v1/stores/products'
      ? { name: 'Mug', priceCents: 1200, currency: 'EUR' }
      : route === 'POST /v1/sites'
        ? { siteId: `site-${Date.now().toString(36)}`, name: 'Pop-up' }
        : undefined;
  const answer = await call(`${stack.url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      'x-account-id': owner.accountId,
      ...(siteId === undefined ? {} : { 'x-site-id': siteId }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return answer.status;
}

/** The authorizer's refusal reasons logged for a key, in order. */
function loggedReasons(keyId: string): string[] {
  return capturedOutput()
    .split('\n')
    .filter((line) => line.includes('"authorizer decision"') && line.includes(keyId))
    .map((line) => (JSON.parse(line) as { reason: string }).reason);
}

async function getKey(owner: Owner, keyId: string): Promise<PublicApiKey> {
  const answer = await management(owner, 'GET', `/v1/api-keys/${keyId}`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.json as { apiKey: PublicApiKey }).apiKey;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the guide’s defaults', () => {
  it('never expire, reach every site including ones added later, any address, read and write', async () => {
    const owner = await newOwner();
    const key = await generate(owner, { name: 'Default', permissions: ['stores'] });
    expect(key.apiKey).toMatchObject({
      siteIds: null,
      expiresAt: null,
      status: 'active',
      allowedIps: [],
      graceEndsAt: null,
      permissions: ['sites.list', 'stores'],
    });
    expect(await use(owner, key.token, 'POST /v1/stores/products', owner.siteA)).toBe(201);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteB)).toBe(200);

    // A site added later (by a key allowed to manage the account) is reached at once.
    const admin = await generate(owner, { name: 'Admin', permissions: ['accounts.manage'] });
    const added = await call(`${stack.url}/v1/sites`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${admin.token}`,
        'x-account-id': owner.accountId,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ siteId: 'later-site', name: 'Opened later' }),
    });
    expect(added.status, added.text).toBe(201);
    expect(await use(owner, key.token, 'GET /v1/stores/products', 'later-site')).toBe(200);

    // Rotation without a body is the guide's: the old token dies at once.
    const rotated = await rotate(owner, key.apiKey.keyId);
    expect(rotated.apiKey.graceEndsAt).toBeNull();
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(403);
    expect(await use(owner, rotated.token, 'GET /v1/sites')).toBe(200);
    const stored = await keyStore().get(key.apiKey.keyId);
    expect(stored).not.toHaveProperty('previousToken');
    expect(stored).not.toHaveProperty('expiresAt');
    expect(stored).not.toHaveProperty('allowedSiteIds');
    expect(stored).not.toHaveProperty('allowedIps');
  });
});

describe('expiresAt', () => {
  it('works until the expiry, then refuses with key_expired; the key stays listed as expired', async () => {
    const owner = await newOwner();
    const expiresAt = new Date(Date.now() + 4000).toISOString();
    const key = await generate(owner, { name: 'Short-lived', permissions: ['stores'], expiresAt });
    expect(key.apiKey).toMatchObject({ expiresAt, status: 'expiring' });
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(200);

    await sleep(Date.parse(expiresAt) - Date.now() + 250);
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(403);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteA)).toBe(403);
    expect(loggedReasons(key.apiKey.keyId).slice(-2)).toEqual(['key_expired', 'key_expired']);

    const listed = await management(owner, 'GET', '/v1/api-keys');
    const keys = (listed.json as { apiKeys: PublicApiKey[] }).apiKeys;
    expect(keys.find((k) => k.keyId === key.apiKey.keyId)).toMatchObject({ status: 'expired', expiresAt });
    // The item is still there, its expiry a string the table's TTL never acts on.
    expect((await keyStore().get(key.apiKey.keyId))?.expiresAt).toBe(expiresAt);
  });

  it('is active far from the expiry, and an edit can lift it', async () => {
    const owner = await newOwner();
    const later = new Date(Date.now() + 30 * 24 * 3600 * 1000).toISOString();
    const key = await generate(owner, { name: 'Month', permissions: [], expiresAt: later });
    expect(key.apiKey.status).toBe('active');
    // The key is in the sparse expiry index the reminder job reads, under the day it expires.
    const { byExpiry } = TABLE_SCHEMA.indexes;
    expect(await rawKeyItem(stack, key.apiKey.keyId)).toMatchObject({
      [byExpiry.partitionKey]: `EXPIRES#${later.slice(0, 10)}`,
      [byExpiry.sortKey]: `${later}#${key.apiKey.keyId}`,
    });
    const lifted = await edit(owner, key.apiKey.keyId, { expiresAt: null });
    expect(lifted).toMatchObject({ expiresAt: null, status: 'active' });
    expect(await keyStore().get(key.apiKey.keyId)).not.toHaveProperty('expiresAt');
    const item = await rawKeyItem(stack, key.apiKey.keyId);
    expect(item).not.toHaveProperty(byExpiry.partitionKey);
    expect(item).not.toHaveProperty(byExpiry.sortKey);
  });

  it('refuses a past or malformed expiry with 400 naming expiresAt, before any code is sent', async () => {
    const owner = await newOwner();
    const past = await management(owner, 'POST', '/v1/verifications', {
      action: 'create',
      request: { name: 'Old', permissions: [], expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.status).toBe(400);
    expect(past.json).toMatchObject({ error: { code: 'invalid_expiry', details: { field: 'expiresAt' } } });
    const local = await management(owner, 'POST', '/v1/verifications', {
      action: 'create',
      request: { name: 'Local', permissions: [], expiresAt: '2030-01-01T00:00:00+02:00' },
    });
    expect(local.status).toBe(400);
    expect((local.json as { error: { message: string } }).error.message).toMatch(/expiresAt/);
    await expect(latestEmailTo(owner.seeded.account.email)).rejects.toThrow(/No email/);
  });
});

describe('siteIds', () => {
  it('limits a key to chosen sites: others are refused with site_not_allowed, new sites too', async () => {
    const owner = await newOwner();
    const key = await generate(owner, { name: 'Site A', permissions: ['stores'], siteIds: [owner.siteA] });
    expect(key.apiKey.siteIds).toEqual([owner.siteA]);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteA)).toBe(200);
    expect(await use(owner, key.token, 'POST /v1/stores/products', owner.siteA)).toBe(201);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteB)).toBe(403);
    expect(loggedReasons(key.apiKey.keyId).at(-1)).toBe('site_not_allowed');
    // Account-level routes need no site.
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(200);

    // Added the way the operator's admin command adds a site.
    await accountStore().putSite(owner.accountId, { siteId: 'added-later', name: 'Later' });
    expect(await use(owner, key.token, 'GET /v1/stores/products', 'added-later')).toBe(403);

    const widened = await edit(owner, key.apiKey.keyId, { siteIds: null });
    expect(widened.siteIds).toBeNull();
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteB)).toBe(200);
    expect(await use(owner, key.token, 'GET /v1/stores/products', 'added-later')).toBe(200);
  });

  it('refuses a site of another account, or an empty list, with 400 naming siteIds', async () => {
    const owner = await newOwner();
    const other = await seedAccount();
    const foreign = await management(owner, 'POST', '/v1/verifications', {
      action: 'create',
      request: { name: 'X', permissions: [], siteIds: [owner.siteA, other.account.sites[0]?.siteId] },
    });
    expect(foreign.status).toBe(400);
    expect(foreign.json).toMatchObject({
      error: {
        code: 'unknown_site',
        details: { field: 'siteIds', unknownSites: [other.account.sites[0]?.siteId] },
      },
    });
    const empty = await management(owner, 'POST', '/v1/verifications', {
      action: 'create',
      request: { name: 'X', permissions: [], siteIds: [] },
    });
    expect(empty.status).toBe(400);
    expect((empty.json as { error: { message: string } }).error.message).toMatch(/siteIds/);
  });
});

describe('read-only grants', () => {
  it('lets a :read grant call reads and refuses writes with read_only_key', async () => {
    const owner = await newOwner();
    const key = await generate(owner, {
      name: 'Reader',
      permissions: ['stores:read', 'accounts.manage:read'],
    });
    expect(key.apiKey.permissions).toEqual(['sites.list', 'stores:read', 'accounts.manage:read']);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteA)).toBe(200);
    expect(await use(owner, key.token, 'POST /v1/stores/products', owner.siteA)).toBe(403);
    expect(loggedReasons(key.apiKey.keyId).at(-1)).toBe('read_only_key');
    expect(await use(owner, key.token, 'POST /v1/sites')).toBe(403);
    expect(loggedReasons(key.apiKey.keyId).at(-1)).toBe('read_only_key');

    const upgraded = await edit(owner, key.apiKey.keyId, { permissions: ['stores', 'stores:read'] });
    expect(upgraded.permissions).toEqual(['sites.list', 'stores']);
    expect(await use(owner, key.token, 'POST /v1/stores/products', owner.siteA)).toBe(201);
  });

  it('says which permissions offer read-only, and refuses an unknown access with 400', async () => {
    const owner = await newOwner();
    const catalog = await management(owner, 'GET', '/v1/permissions');
    const permissions = (catalog.json as { permissions: { id: string; offersReadOnly: boolean }[] })
      .permissions;
    expect(permissions.find((p) => p.id === 'stores')?.offersReadOnly).toBe(true);
    expect(permissions.find((p) => p.id === 'sites.list')?.offersReadOnly).toBe(false);
    for (const grant of ['stores:admin', 'sites.list:read', 'stores:']) {
      const refused = await management(owner, 'POST', '/v1/verifications', {
        action: 'create',
        request: { name: 'X', permissions: [grant] },
      });
      expect(refused.status).toBe(400);
      expect(refused.json).toMatchObject({
        error: { details: { field: 'permissions', unknownPermissions: [grant] } },
      });
    }
  });
});

describe('allowedIps', () => {
  it('allows callers inside the ranges and refuses others with ip_not_allowed', async () => {
    const owner = await newOwner();
    // The local server sees this test's loopback address, over IPv4 or IPv6.
    const inside = await generate(owner, {
      name: 'Here',
      permissions: [],
      allowedIps: ['127.0.0.0/8', '::1'],
    });
    expect(inside.apiKey.allowedIps).toEqual(['127.0.0.0/8', '::1/128']);
    expect(await use(owner, inside.token, 'GET /v1/sites')).toBe(200);

    const outside = await generate(owner, {
      name: 'Office',
      permissions: [],
      allowedIps: ['192.0.2.0/24', '2001:db8::/32'],
    });
    expect(await use(owner, outside.token, 'GET /v1/sites')).toBe(403);
    expect(loggedReasons(outside.apiKey.keyId).at(-1)).toBe('ip_not_allowed');

    const opened = await edit(owner, outside.apiKey.keyId, { allowedIps: [] });
    expect(opened.allowedIps).toEqual([]);
    expect(await use(owner, outside.token, 'GET /v1/sites')).toBe(200);
  });

  it.each([
    ['a malformed range', ['10.0.0.0/33']],
    ['something that is no address', ['not-an-ip']],
    ['a host address with a prefix', ['10.0.0.1/8']],
    ['/0', ['0.0.0.0/0']],
    ['more than 20 ranges', Array.from({ length: 21 }, (_, i) => `10.0.${i}.0/24`)],
  ])('refuses %s with 400, naming allowedIps', async (_case, allowedIps) => {
    const owner = await newOwner();
    const refused = await management(owner, 'POST', '/v1/verifications', {
      action: 'create',
      request: { name: 'X', permissions: [], allowedIps },
    });
    expect(refused.status, JSON.stringify(allowedIps)).toBe(400);
    expect((refused.json as { error: { message: string } }).error.message).toMatch(/allowedIps/);
  });
});

describe('rotation with a grace period', () => {
  it('keeps the old token working beside the new one for N seconds, then refuses it', async () => {
    const owner = await newOwner();
    const key = await generate(owner, { name: 'Graceful', permissions: [] });
    const rotated = await rotate(owner, key.apiKey.keyId, { gracePeriodSeconds: 3 });
    const graceEndsAt = rotated.apiKey.graceEndsAt ?? '';
    expect(Date.parse(graceEndsAt) - Date.now()).toBeGreaterThan(1000);
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(200);
    expect(await use(owner, rotated.token, 'GET /v1/sites')).toBe(200);

    await sleep(Date.parse(graceEndsAt) - Date.now() + 250);
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(403);
    expect(loggedReasons(key.apiKey.keyId).at(-1)).toBe('token_mismatch');
    expect(await use(owner, rotated.token, 'GET /v1/sites')).toBe(200);
    expect((await getKey(owner, key.apiKey.keyId)).graceEndsAt).toBeNull();
  });

  it('ends an earlier grace at once on a second rotation, and never outlives the key', async () => {
    const owner = await newOwner();
    const expiresAt = new Date(Date.now() + 3600 * 1000).toISOString();
    const first = await generate(owner, { name: 'Twice', permissions: [], expiresAt });
    const second = await rotate(owner, first.apiKey.keyId, { gracePeriodSeconds: 604800 });
    // A week of grace on a key that expires in an hour ends with the key.
    expect(second.apiKey.graceEndsAt).toBe(expiresAt);
    expect(await use(owner, first.token, 'GET /v1/sites')).toBe(200);

    const third = await rotate(owner, first.apiKey.keyId, { gracePeriodSeconds: 600 });
    expect(await use(owner, first.token, 'GET /v1/sites')).toBe(403);
    expect(await use(owner, second.token, 'GET /v1/sites')).toBe(200);
    expect(await use(owner, third.token, 'GET /v1/sites')).toBe(200);
    const stored = await keyStore().get(first.apiKey.keyId);
    expect(stored?.previousToken?.validUntil).toBe(third.apiKey.graceEndsAt);
  });

  it('binds the code to N and refuses N out of range with 400 naming gracePeriodSeconds', async () => {
    const owner = await newOwner();
    const key = await generate(owner, { name: 'Bound', permissions: [] });
    const keyId = key.apiKey.keyId;
    const proof = await codeFor(owner, { action: 'rotate', keyId, request: { gracePeriodSeconds: 60 } });
    const other = await management(
      owner,
      'POST',
      `/v1/api-keys/${keyId}/rotate`,
      { gracePeriodSeconds: 600 },
      proof,
    );
    expect(other.status).toBe(403);
    expect(other.json).toMatchObject({ error: { code: 'verification_failed' } });
    for (const gracePeriodSeconds of [-1, 604801, 1.5]) {
      const refused = await management(owner, 'POST', '/v1/verifications', {
        action: 'rotate',
        keyId,
        request: { gracePeriodSeconds },
      });
      expect(refused.status).toBe(400);
      expect((refused.json as { error: { message: string } }).error.message).toMatch(/gracePeriodSeconds/);
    }
    expect(await use(owner, key.token, 'GET /v1/sites')).toBe(200);
  });
});

describe('every policy at once', () => {
  it('allows only what every limit allows', async () => {
    const owner = await newOwner();
    const key = await generate(owner, {
      name: 'Everything',
      permissions: ['stores:read'],
      expiresAt: new Date(Date.now() + 24 * 3600 * 1000).toISOString(),
      siteIds: [owner.siteB],
      allowedIps: ['127.0.0.1/32', '::1/128', '::ffff:127.0.0.1'],
    });
    expect(key.apiKey.status).toBe('expiring');
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteB)).toBe(200);
    expect(await use(owner, key.token, 'POST /v1/stores/products', owner.siteB)).toBe(403);
    expect(await use(owner, key.token, 'GET /v1/stores/products', owner.siteA)).toBe(403);
    // Allows are logged at debug; the two refusals at info, each with its reason.
    expect(loggedReasons(key.apiKey.keyId).slice(-2)).toEqual(['read_only_key', 'site_not_allowed']);
    // The code mail shows every limit the code approves.
    const mails = await emailsTo(owner.seeded.account.email);
    const mail = mails.filter((m) => m.text.includes('verification code')).at(-1) ?? { text: '' };
    expect(mail.text).toContain('stores (read only)');
    expect(mail.text).toContain(owner.siteB);
    expect(mail.text).toContain('127.0.0.1/32');
  });
});
