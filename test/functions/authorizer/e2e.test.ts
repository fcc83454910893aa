import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningLatchkey } from '../../../local/server';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { keyOf } from '../../../shared/adapters/table-schema';
import { keyStore } from '../../../shared/wiring/stores';
import { call, startTestStack } from '../../local/local-stack';
import { seedAccount } from '../../support/accounts';
import { type IssuedKey, issueKey, rotateKey, watchDynamo } from './support';

/**
 * The authorizer end to end through the local server behind `npm start`, which calls it exactly as
 * API Gateway would and answers exactly as API Gateway does.
 */
let stack: RunningLatchkey;
const dynamo = watchDynamo();

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack.close();
});

const headers = (key: IssuedKey | { token: string; record: { accountId: string } }, siteId?: string) => ({
  authorization: `Bearer ${key.token}`,
  'x-account-id': key.record.accountId,
  ...(siteId === undefined ? {} : { 'x-site-id': siteId }),
});

async function productsInTable(accountId: string, siteId: string) {
  const { Items } = await dynamoDocumentClient().send(
    new QueryCommand({
      TableName: stack.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keyOf.product(accountId, siteId, '').pk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('protected API through the local gateway', () => {
  it('answers 401 Unauthorized, as API Gateway does, when a credential header is missing', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    dynamo.reset();
    const noHeaders = await call(`${stack.url}/v1/sites`);
    expect(noHeaders.status).toBe(401);
    expect(noHeaders.json).toEqual({ message: 'Unauthorized' });
    const noAccount = await call(`${stack.url}/v1/sites`, { headers: { authorization: key.token } });
    expect(noAccount.status).toBe(401);
    expect(dynamo.calls).toEqual([]);
  });

  it('answers 403 Forbidden when the authorizer refuses', async () => {
    const { account } = await seedAccount();
    const other = await seedAccount();
    const key = await issueKey(account, { permissions: ['sites.list'] });
    const refusals = [
      { authorization: `${key.token}x`, 'x-account-id': account.accountId },
      { ...headers(key), 'x-account-id': other.account.accountId },
    ];
    for (const h of refusals) {
      const answer = await call(`${stack.url}/v1/sites`, { headers: h });
      expect(answer.status).toBe(403);
      expect(answer.json).toEqual({ message: 'Forbidden' });
    }
    const noPermission = await call(`${stack.url}/v1/stores/products`, {
      headers: headers(key, account.sites[0]?.siteId),
    });
    expect(noPermission.status).toBe(403);
  });

  it('allows a valid key: sites, then products stored for the verified site only', async () => {
    const { account } = await seedAccount();
    const other = await seedAccount();
    const key = await issueKey(account);
    const site = account.sites[0]?.siteId ?? '';

    const sites = await call(`${stack.url}/v1/sites`, { headers: headers(key) });
    expect(sites.status).toBe(200);
    expect(sites.json).toEqual({ sites: account.sites });

    const created = await call(`${stack.url}/v1/stores/products`, {
      method: 'POST',
      headers: { ...headers(key, site), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Tea', priceCents: 450, currency: 'GBP' }),
    });
    expect(created.status).toBe(201);
    expect(await productsInTable(account.accountId, site)).toEqual([
      expect.objectContaining({
        name: 'Tea',
        priceCents: 450,
        currency: 'GBP',
        createdByKeyId: key.record.keyId,
      }),
    ]);
    const listed = await call(`${stack.url}/v1/stores/products`, { headers: headers(key, site) });
    expect(listed.status).toBe(200);
    expect((listed.json as { products: unknown[] }).products).toHaveLength(1);

    const foreign = await call(`${stack.url}/v1/stores/products`, {
      method: 'POST',
      headers: { ...headers(key, other.account.sites[0]?.siteId), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Stolen', priceCents: 1, currency: 'GBP' }),
    });
    expect(foreign.status).toBe(403);
    expect(await productsInTable(other.account.accountId, other.account.sites[0]?.siteId ?? '')).toEqual([]);
  });

  it('refuses a rotated-away token and a deleted key on the very next request', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    expect((await call(`${stack.url}/v1/sites`, { headers: headers(key) })).status).toBe(200);

    const rotated = await rotateKey(key);
    expect((await call(`${stack.url}/v1/sites`, { headers: headers(key) })).status).toBe(403);
    expect((await call(`${stack.url}/v1/sites`, { headers: headers(rotated) })).status).toBe(200);

    const current = await keyStore().get(key.record.keyId);
    await keyStore().delete(account.accountId, key.record.keyId, current?.version ?? 0);
    expect(await keyStore().get(key.record.keyId)).toBeUndefined();
    expect((await call(`${stack.url}/v1/sites`, { headers: headers(rotated) })).status).toBe(403);
  });

  it('answers 500 and never reaches the route when DynamoDB fails during authorization', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account);
    const site = account.sites[0]?.siteId ?? '';
    dynamo.fail((command) => command === 'GetItem');
    const answer = await call(`${stack.url}/v1/stores/products`, {
      method: 'POST',
      headers: { ...headers(key, site), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Never', priceCents: 1, currency: 'USD' }),
    });
    dynamo.reset();
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'Internal Server Error' });
    expect(await productsInTable(account.accountId, site)).toEqual([]);
  });
});
