import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { handler as authorize } from '../../functions/authorizer/authorize';
import { handler as createProduct } from '../../functions/protected/create-product';
import { handler as listProducts } from '../../functions/protected/list-products';
import { handler as listSites } from '../../functions/protected/list-sites';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import type { Account } from '../../shared/domain/accounts';
import { tableName } from '../../shared/wiring/stores';
import { seedAccount } from '../support/accounts';
import { type Invokable, invoke, managementEvent } from '../support/events';
import { httpApiEvent, type IssuedKey, issueKey } from './authorizer/support';

/**
 * The protected routes as API Gateway runs them: the real authorizer decides first, and only on an
 * allow does the route run, with the authorizer's context under `requestContext.authorizer.lambda`.
 */
async function call(
  route: Invokable,
  routeKey: string,
  key: IssuedKey,
  options: { siteId?: string | undefined; body?: unknown; rawBody?: string } = {},
) {
  const caller = { authorization: key.token, accountId: key.record.accountId, siteId: options.siteId };
  const decision = (await authorize(
    httpApiEvent(routeKey, caller),
  )) as APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;
  expect(decision.isAuthorized, `the authorizer allows ${routeKey}`).toBe(true);
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const event = managementEvent({
    method,
    path,
    routeKey,
    body: options.body,
    ...(options.rawBody === undefined ? {} : { rawBody: options.rawBody }),
  });
  event.requestContext.authorizer = { lambda: decision.context };
  return invoke(route, event);
}

async function storedProducts(account: Account, siteId: string) {
  const { Items } = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: tableName(),
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keyOf.product(account.accountId, siteId, '').pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('GET /v1/sites', () => {
  it("returns the key's account sites", async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account, { permissions: ['sites.list'] });
    const response = await call(listSites, 'GET /v1/sites', key);
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({ sites: account.sites.map(({ siteId, name }) => ({ siteId, name })) });
  });

  it('refuses a request that reached the route without an authorizer context with 401', async () => {
    const response = await invoke(
      listSites,
      managementEvent({ method: 'GET', path: '/v1/sites', routeKey: 'GET /v1/sites' }),
    );
    expect(response.statusCode).toBe(401);
    expect(response.json).toMatchObject({ error: { code: 'unauthorized' } });
  });
});

describe('POST and GET /v1/stores/products', () => {
  it('stores a validated product for the caller site and lists it for that site only', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    const [siteA, siteB] = account.sites.map((s) => s.siteId);
    const created = await call(createProduct, 'POST /v1/stores/products', key, {
      siteId: siteA,
      body: { name: '  Blue mug ', priceCents: 1250, currency: 'EUR' },
    });
    expect(created.statusCode).toBe(201);
    const product = (created.json as { product: Record<string, unknown> }).product;
    expect(product).toMatchObject({ siteId: siteA, name: 'Blue mug', priceCents: 1250, currency: 'EUR' });
    expect(product).not.toHaveProperty('accountId');

    const items = await storedProducts(account, siteA ?? '');
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      pk: `SITE#${account.accountId}#${siteA}`,
      sk: `PRODUCT#${String(product.productId)}`,
      accountId: account.accountId,
      siteId: siteA,
      name: 'Blue mug',
      priceCents: 1250,
      currency: 'EUR',
      createdByKeyId: key.record.keyId,
    });

    const listA = await call(listProducts, 'GET /v1/stores/products', key, { siteId: siteA });
    expect(listA.statusCode).toBe(200);
    expect(listA.json).toEqual({ products: [product] });
    const listB = await call(listProducts, 'GET /v1/stores/products', key, { siteId: siteB });
    expect(listB.json).toEqual({ products: [] });
  });

  it.each([
    [{ name: '', priceCents: 1, currency: 'USD' }, 'body.name'],
    [{ name: 'Mug', priceCents: 12.5, currency: 'USD' }, 'body.priceCents'],
    [{ name: 'Mug', priceCents: -1, currency: 'USD' }, 'body.priceCents'],
    [{ name: 'Mug', priceCents: 100, currency: 'usd' }, 'body.currency'],
    [{ name: 'Mug', priceCents: 100 }, 'body.currency'],
    [{ name: 'Mug', priceCents: 100, currency: 'USD', accountId: 'x' }, 'body'],
  ])('refuses %j with a 400 naming %s and writes nothing', async (body, path) => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    const siteId = account.sites[0]?.siteId ?? '';
    const response = await call(createProduct, 'POST /v1/stores/products', key, { siteId, body });
    expect(response.statusCode).toBe(400);
    const error = (response.json as { error: { code: string; details: { issues: { path: string }[] } } })
      .error;
    expect(error.code).toBe('validation_failed');
    expect(error.details.issues[0]?.path).toBe(path);
    expect(await storedProducts(account, siteId)).toEqual([]);
  });

  it('refuses a body that is not JSON with 400 invalid_json', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    const siteId = account.sites[0]?.siteId ?? '';
    const response = await call(createProduct, 'POST /v1/stores/products', key, {
      siteId,
      rawBody: '{"name":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json).toMatchObject({ error: { code: 'invalid_json' } });
    expect(await storedProducts(account, siteId)).toEqual([]);
  });

  it('refuses a context without a site, or without the stores permission, with 403 (defence in depth)', async () => {
    const { account } = await seedAccount();
    const event = (context: Record<string, string>) => {
      const e = managementEvent({
        method: 'GET',
        path: '/v1/stores/products',
        routeKey: 'GET /v1/stores/products',
      });
      e.requestContext.authorizer = { lambda: context };
      return e;
    };
    const base = {
      accountId: account.accountId,
      keyId: 'k',
      permissions: 'sites.list,stores',
      siteId: '',
      access: 'write',
      expiresAt: '',
    };
    const noSite = await invoke(listProducts, event(base));
    expect(noSite.statusCode).toBe(403);
    expect(noSite.json).toMatchObject({ error: { code: 'missing_site' } });
    const noPermission = await invoke(
      listProducts,
      event({ ...base, permissions: 'sites.list', siteId: 's' }),
    );
    expect(noPermission.statusCode).toBe(403);
    expect(noPermission.json).toMatchObject({ error: { code: 'missing_permission' } });
  });
});
