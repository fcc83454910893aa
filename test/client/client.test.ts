import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createLatchkeyClient,
  createProtectedClient,
  expectOk,
  LatchkeyApiError,
  type LatchkeyClient,
  verificationHeaders,
} from '../../client';
import { DEMO_ACCOUNTS } from '../../local/demo';
import type { RunningLatchkey } from '../../local/server';
import { call, devToken, startTestStack } from '../local/local-stack';
import { assertMatchesDescription, routeForRequest } from '../support/contract';
import { latestCodeFor } from '../support/inbox';
import { rememberSecret } from '../support/log-capture';

/**
 * The typed client against the real local server. Its fetch also holds every answer against
 * docs/openapi.json, so what the client's types promise is what the server sends.
 */
let stack: RunningLatchkey;
let api: LatchkeyClient;
const [jane] = DEMO_ACCOUNTS;
if (jane === undefined) throw new Error('a demo account expected');

const checkedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const request = input instanceof Request ? input : new Request(input, init);
  const route = routeForRequest(request.method, new URL(request.url).pathname);
  if (route !== undefined) {
    assertMatchesDescription(route, {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: await response.clone().text(),
    });
  }
  return response;
};

beforeAll(async () => {
  stack = await startTestStack();
  const jwt = await devToken(stack);
  api = createLatchkeyClient({ baseUrl: `${stack.url}/`, token: () => jwt, fetch: checkedFetch });
});
afterAll(() => stack.close());

describe('the typed client', () => {
  it('reads the account and the permission catalog', async () => {
    const account = await expectOk(api.GET('/v1/account'));
    expect(account.accountId).toBe(jane.accountId);
    const { permissions } = await expectOk(api.GET('/v1/permissions'));
    expect(permissions.map((p) => p.id)).toContain('stores');
  });

  it('generates a key with a code from the mail, then the protected client uses its token', async () => {
    const request = { name: 'Client test', permissions: ['stores'] };
    const sent = await expectOk(api.POST('/v1/verifications', { body: { action: 'create', request } }));
    const proof = { verificationId: sent.verificationId, code: await latestCodeFor(jane.email) };
    const issued = await expectOk(
      api.POST('/v1/api-keys', { body: request, params: { header: verificationHeaders(proof) } }),
    );
    rememberSecret(issued.token);
    expect(issued.apiKey.permissions).toEqual(['sites.list', 'stores']);

    const site = { 'x-site-id': 'acme-store' };
    const shop = createProtectedClient({
      baseUrl: stack.url,
      token: issued.token,
      accountId: jane.accountId,
      fetch: checkedFetch,
    });
    const created = await expectOk(
      shop.POST('/v1/stores/products', {
        params: { header: site },
        body: { name: 'Mug', priceCents: 1200, currency: 'EUR' },
      }),
    );
    expect(created.product.name).toBe('Mug');
    const { products } = await expectOk(shop.GET('/v1/stores/products', { params: { header: site } }));
    expect(products.map((p) => p.productId)).toContain(created.product.productId);
  });

  it("turns an error answer into a LatchkeyApiError with the API's code and message", async () => {
    const failure = await expectOk(
      api.GET('/v1/api-keys/{keyId}', { params: { path: { keyId: '01jq3v6m9x8k2c4n7p5r1s0t2w' } } }),
    ).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(LatchkeyApiError);
    expect(failure).toMatchObject({ status: 404, code: 'not_found', message: 'API key not found' });
  });

  it("reports API Gateway's own answers as http_<status>", async () => {
    const anonymous = createLatchkeyClient({ baseUrl: stack.url, token: 'not-a-jwt', fetch: checkedFetch });
    const failure = await expectOk(anonymous.GET('/v1/account')).catch((error: unknown) => error);
    expect(failure).toMatchObject({ status: 401, code: 'http_401', message: 'Unauthorized' });
    // The raw answer is the same without the client.
    expect((await call(`${stack.url}/v1/account`)).status).toBe(401);
  });
});
