import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../local/demo';
import type { RunningLatchkey } from '../../local/server';
import { ROUTES, type RouteId } from '../../shared/routes';
import { bearer, call, devToken, startTestStack } from '../local/local-stack';
import { latestCodeFor } from '../support/inbox';
import { rememberSecret } from '../support/log-capture';

/**
 * Contract tests route by route: every route of the route table, through the local gateway, on its
 * success path and on error paths, each answer held against docs/openapi.json by `call` (status,
 * documented headers, body schema). A route added to the table without an entry here fails the
 * type check; a status or code the description does not list for the route fails the test.
 */
let stack: RunningLatchkey;
let jwt = '';
const [jane] = DEMO_ACCOUNTS;
if (jane === undefined) throw new Error('a demo account expected');
const UNKNOWN_KEY = '01jq3v6m9x8k2c4n7p5r1s0t2w';
const FAKE_PROOF = { 'x-verification-id': '0123456789abcdefghjkmnpq', 'x-verification-code': '000000' };

beforeAll(async () => {
  stack = await startTestStack();
  jwt = await devToken(stack);
});
afterAll(() => stack.close());

function send(
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
) {
  return call(`${stack.url}${path}`, {
    method,
    headers: {
      ...bearer(jwt),
      ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
      ...options.headers,
    },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
}

/** A code for exactly this change, read from the inbox as the user would. */
async function proofFor(intent: unknown): Promise<Record<string, string>> {
  const sent = await send('POST', '/v1/verifications', { body: intent });
  expect(sent.status, sent.text).toBe(201);
  const { verificationId } = sent.json as { verificationId: string };
  return {
    'x-verification-id': verificationId,
    'x-verification-code': await latestCodeFor(jane?.email ?? ''),
  };
}

const state = { keyId: '', copyId: '', token: '' };

function protectedCall(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  return call(`${stack.url}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** In route-table order where one route's success feeds the next (create before rotate ...). */
const EXERCISES: Record<RouteId, () => Promise<number[]>> = {
  GetAccount: async () => [
    (await send('GET', '/v1/account')).status,
    (await send('GET', '/v1/account', { headers: { authorization: 'Bearer nope' } })).status,
  ],
  ListPermissions: async () => [(await send('GET', '/v1/permissions')).status],
  StartVerification: async () => [
    (await send('POST', '/v1/verifications', { body: { action: 'erase' } })).status,
    (await send('POST', '/v1/verifications', { body: { action: 'rotate', keyId: UNKNOWN_KEY } })).status,
  ],
  CreateApiKey: async () => {
    const request = { name: 'Contract', permissions: ['stores'] };
    const missingProof = await send('POST', '/v1/api-keys', { body: request });
    const wrongProof = await send('POST', '/v1/api-keys', { body: request, headers: FAKE_PROOF });
    const created = await send('POST', '/v1/api-keys', {
      body: request,
      headers: await proofFor({ action: 'create', request }),
    });
    const body = created.json as { apiKey: { keyId: string }; token: string };
    state.keyId = body.apiKey.keyId;
    state.token = body.token;
    rememberSecret(state.token);
    return [missingProof.status, wrongProof.status, created.status];
  },
  ListApiKeys: async () => [
    (await send('GET', '/v1/api-keys?limit=1')).status,
    (await send('GET', '/v1/api-keys?limit=0')).status,
    (await send('GET', '/v1/api-keys?cursor=not-one-of-ours')).status,
  ],
  GetApiKey: async () => [
    (await send('GET', `/v1/api-keys/${state.keyId}`)).status,
    (await send('GET', `/v1/api-keys/${UNKNOWN_KEY}`)).status,
  ],
  RotateApiKey: async () => {
    const stale = await send('POST', `/v1/api-keys/${state.keyId}/rotate`, {
      headers: { ...FAKE_PROOF, 'if-match': '"99"' },
    });
    const rotated = await send('POST', `/v1/api-keys/${state.keyId}/rotate`, {
      headers: await proofFor({ action: 'rotate', keyId: state.keyId }),
    });
    state.token = (rotated.json as { token: string }).token;
    rememberSecret(state.token);
    return [stale.status, rotated.status];
  },
  DuplicateApiKey: async () => {
    const request = { name: 'Contract copy' };
    const unknown = await send('POST', `/v1/api-keys/${UNKNOWN_KEY}/duplicate`, {
      body: request,
      headers: FAKE_PROOF,
    });
    const copied = await send('POST', `/v1/api-keys/${state.keyId}/duplicate`, {
      body: request,
      headers: await proofFor({ action: 'duplicate', keyId: state.keyId, request }),
    });
    const body = copied.json as { apiKey: { keyId: string }; token: string };
    state.copyId = body.apiKey.keyId;
    rememberSecret(body.token);
    return [unknown.status, copied.status];
  },
  UpdateApiKey: async () => {
    const request = { description: 'Edited by the contract test' };
    const empty = await send('PATCH', `/v1/api-keys/${state.keyId}`, { body: {}, headers: FAKE_PROOF });
    const notJson = await call(`${stack.url}/v1/api-keys/${state.keyId}`, {
      method: 'PATCH',
      headers: { ...bearer(jwt), ...FAKE_PROOF, 'content-type': 'text/plain' },
      body: 'name=Edited',
    });
    const edited = await send('PATCH', `/v1/api-keys/${state.keyId}`, {
      body: request,
      headers: await proofFor({ action: 'update', keyId: state.keyId, request }),
    });
    return [empty.status, notJson.status, edited.status];
  },
  DeleteApiKey: async () => {
    const unknown = await send('DELETE', `/v1/api-keys/${UNKNOWN_KEY}`, { headers: FAKE_PROOF });
    const deleted = await send('DELETE', `/v1/api-keys/${state.copyId}`, {
      headers: await proofFor({ action: 'delete', keyId: state.copyId }),
    });
    return [unknown.status, deleted.status];
  },
  ListSites: async () => {
    const caller = { authorization: state.token, 'x-account-id': jane.accountId };
    return [
      (await protectedCall('GET', '/v1/sites', caller)).status,
      (await protectedCall('GET', '/v1/sites', { 'x-account-id': jane.accountId })).status,
      (await protectedCall('GET', '/v1/sites', { ...caller, authorization: 'lk_nope' })).status,
    ];
  },
  CreateProduct: async () => {
    const caller = { authorization: state.token, 'x-account-id': jane.accountId, 'x-site-id': 'acme-store' };
    return [
      (
        await protectedCall('POST', '/v1/stores/products', caller, {
          name: 'Mug',
          priceCents: 900,
          currency: 'EUR',
        })
      ).status,
      (
        await protectedCall('POST', '/v1/stores/products', caller, {
          name: '',
          priceCents: -1,
          currency: 'euro',
        })
      ).status,
    ];
  },
  ListAuditEvents: async () => [
    (await send('GET', `/v1/audit-events?keyId=${state.keyId}`)).status,
    (await send('GET', '/v1/audit-events?limit=0')).status,
  ],
  GetWebhook: async () => [(await send('GET', '/v1/account/webhook')).status],
  PutWebhook: async () => {
    const refused = await send('PUT', '/v1/account/webhook', { body: { url: 'http://hooks.example.com/x' } });
    const set = await send('PUT', '/v1/account/webhook', {
      body: { url: 'https://hooks.example.com/latchkey' },
    });
    rememberSecret((set.json as { secret: string }).secret);
    const shown = await send('GET', '/v1/account/webhook');
    return [refused.status, set.status, shown.status];
  },
  DeleteWebhook: async () => [
    (await send('DELETE', '/v1/account/webhook')).status,
    (await send('DELETE', '/v1/account/webhook')).status,
  ],
  ReportTokenLeak: async () => {
    const unsigned = await call(`${stack.url}/v1/token-leaks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([
        { token: 'lk_x', type: 'latchkey_api_key', url: 'https://example.com/x', source: 'content' },
      ]),
    });
    return [unsigned.status];
  },
  ListProducts: async () => {
    const caller = { authorization: state.token, 'x-account-id': jane.accountId };
    return [
      (await protectedCall('GET', '/v1/stores/products', { ...caller, 'x-site-id': 'acme-store' })).status,
      (await protectedCall('GET', '/v1/stores/products', { ...caller, 'x-site-id': 'not-a-site-of-acme' }))
        .status,
    ];
  },
};

const EXPECTED: Record<RouteId, number[]> = {
  GetAccount: [200, 401],
  ListPermissions: [200],
  StartVerification: [400, 404],
  CreateApiKey: [400, 403, 201],
  ListApiKeys: [200, 400, 400],
  GetApiKey: [200, 404],
  RotateApiKey: [412, 200],
  DuplicateApiKey: [404, 201],
  UpdateApiKey: [400, 415, 200],
  DeleteApiKey: [404, 204],
  ListSites: [200, 401, 403],
  CreateProduct: [201, 400],
  ListProducts: [200, 403],
  ListAuditEvents: [200, 400],
  GetWebhook: [404],
  PutWebhook: [400, 200, 200],
  DeleteWebhook: [204, 404],
  ReportTokenLeak: [401],
};

describe('every route answers as docs/openapi.json describes', () => {
  const exercised: string[] = [];
  for (const [id, exercise] of Object.entries(EXERCISES)) {
    it(id, async () => {
      expect(await exercise()).toEqual(EXPECTED[id as RouteId]);
      exercised.push(id);
    });
  }

  it('covered the whole route table', () => {
    expect(exercised.sort()).toEqual(ROUTES.map((r) => r.id).sort());
  });
});
