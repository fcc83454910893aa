import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayAuthorizerResult, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/authorizer/authorize';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { keyOf } from '../../../shared/adapters/table-schema';
import { newKeyId } from '../../../shared/domain/ids';
import { keyStore, tableName } from '../../../shared/wiring/stores';
import { seedAccount } from '../../support/accounts';
import { capturedOutput } from '../../support/log-capture';
import {
  forgedToken,
  httpApiEvent,
  issueKey,
  restRequestEvent,
  restTokenEvent,
  rotateKey,
  STAGE_ARN,
  watchDynamo,
} from './support';

const dynamo = watchDynamo();
beforeEach(() => dynamo.reset());

type Simple = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;
const simple = async (...args: Parameters<typeof httpApiEvent>) =>
  (await handler(httpApiEvent(...args))) as Simple;
const rest = async (event: Parameters<typeof handler>[0]) =>
  (await handler(event)) as APIGatewayAuthorizerResult;

/** A fresh lastUsedAt, so a request makes exactly the one read and no use write. */
const justUsed = () => new Date().toISOString();

async function storedItem(keyId: string) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: keyOf.apiKey(keyId), ConsistentRead: true }),
  );
  return Item;
}

/** A new account with one key, and the DynamoDB watch cleared so a test sees only its own calls. */
async function freshKey(options?: Parameters<typeof issueKey>[1]) {
  const { account } = await seedAccount();
  const key = await issueKey(account, options);
  dynamo.reset();
  return { account, key };
}

function decisionLines(): Record<string, unknown>[] {
  return capturedOutput()
    .split('\n')
    .filter((line) => line.includes('"authorizer decision"'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

describe('HTTP API simple responses', () => {
  it('allows a valid key on an account route with one read and passes the context', async () => {
    const { account, key } = await freshKey({ lastUsedAt: justUsed() });
    const result = await simple('GET /v1/sites', { authorization: key.token, accountId: account.accountId });
    expect(result).toEqual({
      isAuthorized: true,
      context: {
        accountId: account.accountId,
        keyId: key.record.keyId,
        permissions: 'sites.list,stores',
        siteId: '',
        access: 'write',
        expiresAt: '',
      },
    });
    expect(dynamo.calls).toEqual(['GetItem']);
  });

  it('accepts `Bearer <token>` and passes the verified site on a site route', async () => {
    const { account, key } = await freshKey({ lastUsedAt: justUsed() });
    const site = account.sites[1]?.siteId;
    const result = await simple('POST /v1/stores/products', {
      authorization: `Bearer ${key.token}`,
      accountId: account.accountId,
      siteId: site,
    });
    expect(result.isAuthorized).toBe(true);
    expect(result.context).toMatchObject({ siteId: site, keyId: key.record.keyId });
  });

  it.each([
    ['no Authorization header', undefined],
    ['an empty one', ''],
    ['a bare Bearer', 'Bearer '],
    ['a malformed token', 'lk_nonsense'],
    ['Basic credentials', 'Basic dXNlcjpwYXNz'],
  ])('refuses %s without touching DynamoDB', async (_case, authorization) => {
    const { account } = await seedAccount();
    dynamo.reset();
    const result = await simple('GET /v1/sites', { authorization, accountId: account.accountId });
    expect(result.isAuthorized).toBe(false);
    expect(dynamo.calls).toEqual([]);
  });

  it('refuses a token missing the x-account-id header without touching DynamoDB', async () => {
    const { key } = await freshKey();
    const result = await simple('GET /v1/sites', { authorization: key.token });
    expect(result).toEqual({ isAuthorized: false, context: {} });
    expect(dynamo.calls).toEqual([]);
  });

  it('refuses a well-formed token for a key that does not exist after one read', async () => {
    const { account } = await seedAccount();
    dynamo.reset();
    const token = forgedToken(newKeyId());
    dynamo.reset();
    const result = await simple('GET /v1/sites', { authorization: token, accountId: account.accountId });
    expect(result.isAuthorized).toBe(false);
    expect(dynamo.calls).toEqual(['GetItem']);
  });

  it('refuses a tampered token whose checksum was recomputed (forged secret for a real key id)', async () => {
    const { account, key } = await freshKey({ lastUsedAt: justUsed() });
    const forged = forgedToken(key.record.keyId);
    expect(forged).not.toBe(key.token);
    const result = await simple('GET /v1/sites', { authorization: forged, accountId: account.accountId });
    expect(result.isAuthorized).toBe(false);
    expect(dynamo.calls).toEqual(['GetItem']);
    const line = decisionLines().at(-1);
    expect(line).toMatchObject({ decision: 'deny', reason: 'token_mismatch', keyId: key.record.keyId });
  });

  it("refuses a valid key presented with another account's id", async () => {
    const { account } = await seedAccount();
    dynamo.reset();
    const other = await seedAccount();
    dynamo.reset();
    const key = await issueKey(account);
    dynamo.reset();
    const result = await simple('GET /v1/sites', {
      authorization: key.token,
      accountId: other.account.accountId,
    });
    expect(result.isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'account_mismatch' });
  });

  it('refuses a site route without x-site-id, and with a site of another account', async () => {
    const { account } = await seedAccount();
    dynamo.reset();
    const other = await seedAccount();
    dynamo.reset();
    const key = await issueKey(account);
    dynamo.reset();
    const missing = await simple('GET /v1/stores/products', {
      authorization: key.token,
      accountId: account.accountId,
    });
    expect(missing.isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'missing_site' });
    const foreign = await simple('GET /v1/stores/products', {
      authorization: key.token,
      accountId: account.accountId,
      siteId: other.account.sites[0]?.siteId,
    });
    expect(foreign.isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'foreign_site' });
  });

  it('refuses a route whose permission the key lacks', async () => {
    const { account, key } = await freshKey({ permissions: ['sites.list'] });
    const result = await simple('GET /v1/stores/products', {
      authorization: key.token,
      accountId: account.accountId,
      siteId: account.sites[0]?.siteId,
    });
    expect(result.isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'missing_permission', keyId: key.record.keyId });
  });

  it.each(['DELETE /v1/sites', 'GET /v1/api-keys', 'GET /v1/stores/orders'])(
    'refuses %s, a route the authorizer does not know',
    async (routeKey) => {
      const { account, key } = await freshKey();
      const result = await simple(routeKey, { authorization: key.token, accountId: account.accountId });
      expect(result.isAuthorized).toBe(false);
      expect(decisionLines().at(-1)).toMatchObject({ reason: 'unknown_route' });
    },
  );

  it('refuses a rotated-away token on the very next request and allows the new one', async () => {
    const { account, key } = await freshKey();
    const caller = { accountId: account.accountId };
    expect((await simple('GET /v1/sites', { ...caller, authorization: key.token })).isAuthorized).toBe(true);
    const rotated = await rotateKey(key);
    expect((await simple('GET /v1/sites', { ...caller, authorization: key.token })).isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'token_mismatch' });
    expect((await simple('GET /v1/sites', { ...caller, authorization: rotated.token })).isAuthorized).toBe(
      true,
    );
  });

  it('refuses a deleted key on the very next request', async () => {
    const { account, key } = await freshKey();
    const caller = { accountId: account.accountId, authorization: key.token };
    expect((await simple('GET /v1/sites', caller)).isAuthorized).toBe(true);
    const current = await keyStore().get(key.record.keyId);
    await keyStore().delete(account.accountId, key.record.keyId, current?.version ?? 0);
    expect(await storedItem(key.record.keyId)).toBeUndefined();
    expect((await simple('GET /v1/sites', caller)).isAuthorized).toBe(false);
    expect(decisionLines().at(-1)).toMatchObject({ reason: 'unknown_key', keyId: key.record.keyId });
  });
});

describe('lastUsedAt', () => {
  it('is written on first use and at most once per key per five minutes', async () => {
    const { account, key } = await freshKey();
    const caller = { accountId: account.accountId, authorization: key.token };
    expect(await storedItem(key.record.keyId)).not.toHaveProperty('lastUsedAt');

    dynamo.reset();
    await simple('GET /v1/sites', caller);
    expect(dynamo.calls).toEqual(['GetItem', 'UpdateItem']);
    const first = (await storedItem(key.record.keyId))?.lastUsedAt;
    expect(typeof first).toBe('string');

    dynamo.reset();
    await simple('GET /v1/sites', caller);
    await simple('GET /v1/sites', caller);
    expect(dynamo.calls).toEqual(['GetItem', 'GetItem']);
    expect((await storedItem(key.record.keyId))?.lastUsedAt).toBe(first);

    const sixMinutesAgo = new Date(Date.now() - 6 * 60 * 1000).toISOString();
    await dynamoDocumentClient().send(
      new UpdateCommand({
        TableName: tableName(),
        Key: keyOf.apiKey(key.record.keyId),
        UpdateExpression: 'SET lastUsedAt = :t',
        ExpressionAttributeValues: { ':t': sixMinutesAgo },
      }),
    );
    dynamo.reset();
    await simple('GET /v1/sites', caller);
    expect(dynamo.calls).toEqual(['GetItem', 'UpdateItem']);
    const after = (await storedItem(key.record.keyId))?.lastUsedAt;
    expect(after).not.toBe(sixMinutesAgo);
    expect(Date.parse(String(after))).toBeGreaterThan(Date.parse(sixMinutesAgo));
  });

  it('a failed lastUsedAt write is logged and never refuses a valid request', async () => {
    const { account, key } = await freshKey();
    dynamo.fail((command) => command === 'UpdateItem');
    const result = await simple('GET /v1/sites', { accountId: account.accountId, authorization: key.token });
    expect(result.isAuthorized).toBe(true);
    expect(capturedOutput()).toContain('could not record lastUsedAt');
    expect(await storedItem(key.record.keyId)).not.toHaveProperty('lastUsedAt');
  });
});

describe('failing closed', () => {
  it('throws (API Gateway answers 500) when DynamoDB fails, and never allows', async () => {
    const { account, key } = await freshKey();
    dynamo.fail((command) => command === 'GetItem');
    await expect(
      simple('GET /v1/sites', { accountId: account.accountId, authorization: key.token }),
    ).rejects.toThrow('Injected DynamoDB fault');
    await expect(
      rest(restRequestEvent('GET', '/v1/sites', { authorization: key.token, accountId: account.accountId })),
    ).rejects.toThrow('Injected DynamoDB fault');
    const line = capturedOutput()
      .split('\n')
      .filter((l) => l.includes('"dependency_failure"'))
      .at(-1);
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      level: 'error',
      decision: 'error',
      route: 'GET /v1/sites',
    });
    dynamo.reset();
    expect(await storedItem(key.record.keyId)).not.toHaveProperty('lastUsedAt');
  });
  it('refuses to guess at an event it does not recognise: it throws, so API Gateway answers 500', async () => {
    const unknown = { type: 'REQUEST', routeKey: 'GET /v1/sites' } as unknown as Parameters<
      typeof handler
    >[0];
    await expect(handler(unknown)).rejects.toThrow('Unsupported authorizer event');
    expect(dynamo.calls).toEqual([]);
  });
});

describe('REST REQUEST policies', () => {
  it('allows exactly the routes the key grants for the verified site, with the context', async () => {
    const { account, key } = await freshKey({ lastUsedAt: justUsed() });
    const site = account.sites[0]?.siteId;
    const result = await rest(
      restRequestEvent('GET', '/v1/stores/products', {
        authorization: `Bearer ${key.token}`,
        accountId: account.accountId,
        siteId: site,
      }),
    );
    expect(result).toEqual({
      principalId: key.record.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Action: 'execute-api:Invoke',
            Effect: 'Allow',
            Resource: [
              `${STAGE_ARN}/GET/v1/sites`,
              `${STAGE_ARN}/GET/v1/stores/products`,
              `${STAGE_ARN}/POST/v1/stores/products`,
            ],
          },
        ],
      },
      context: {
        accountId: account.accountId,
        keyId: key.record.keyId,
        permissions: 'sites.list,stores',
        siteId: site,
        access: 'write',
        expiresAt: '',
      },
    });
    expect(dynamo.calls).toEqual(['GetItem']);
  });

  it('without a site header, allows only account routes (the policy may be cached across routes)', async () => {
    const { account, key } = await freshKey();
    const result = await rest(
      restRequestEvent('GET', '/v1/sites', { authorization: key.token, accountId: account.accountId }),
    );
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/GET/v1/sites`] },
    ]);
    expect(result.context).toMatchObject({ siteId: '' });
  });

  it('a permission the key lacks: allows what it grants and explicitly denies the refused method', async () => {
    const { account, key } = await freshKey({ permissions: ['sites.list'] });
    const result = await rest(
      restRequestEvent('POST', '/v1/stores/products', {
        authorization: key.token,
        accountId: account.accountId,
        siteId: account.sites[0]?.siteId,
      }),
    );
    expect(result.principalId).toBe(key.record.keyId);
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/GET/v1/sites`] },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/POST/v1/stores/products`] },
    ]);
  });

  it('an unverified token is denied the whole stage', async () => {
    const { account, key } = await freshKey();
    const cases = [
      { authorization: 'lk_garbage', accountId: account.accountId },
      { authorization: forgedToken(key.record.keyId), accountId: account.accountId },
      { authorization: key.token, accountId: (await seedAccount()).account.accountId },
    ];
    for (const caller of cases) {
      const result = await rest(restRequestEvent('GET', '/v1/sites', caller));
      expect(result).toEqual({
        principalId: 'latchkey:anonymous',
        policyDocument: {
          Version: '2012-10-17',
          Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/*`] }],
        },
      });
    }
  });
});

describe('REST TOKEN policies', () => {
  it('allows account routes from the token alone, never site routes', async () => {
    const { account, key } = await freshKey({ lastUsedAt: justUsed() });
    const result = await rest(restTokenEvent('GET', '/v1/sites', key.token));
    expect(result).toEqual({
      principalId: key.record.keyId,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [
          { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/GET/v1/sites`] },
        ],
      },
      context: {
        accountId: account.accountId,
        keyId: key.record.keyId,
        permissions: 'sites.list,stores',
        siteId: '',
        access: 'write',
        expiresAt: '',
      },
    });
    expect(dynamo.calls).toEqual(['GetItem']);
  });

  it('denies a site route, which needs the x-site-id header a TOKEN authorizer never sees', async () => {
    const { key } = await freshKey();
    const result = await rest(restTokenEvent('POST', '/v1/stores/products', `Bearer ${key.token}`));
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/GET/v1/sites`] },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/POST/v1/stores/products`] },
    ]);
    expect(decisionLines().at(-1)).toMatchObject({
      reason: 'site_needs_request_authorizer',
      kind: 'rest-token',
    });
  });

  it('denies a malformed token without touching DynamoDB', async () => {
    const result = await rest(restTokenEvent('GET', '/v1/sites', 'lk_0123'));
    expect(result.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/*`] },
    ]);
    expect(dynamo.calls).toEqual([]);
  });
});

describe('decision logs', () => {
  async function oneAllowOneRefusal() {
    const { account } = await seedAccount();
    const key = await issueKey(account, { lastUsedAt: justUsed() });
    const before = capturedOutput().length;
    const allowed = await simple('GET /v1/sites', { authorization: key.token, accountId: account.accountId });
    const afterAllow = capturedOutput().length;
    await simple('GET /v1/sites', { authorization: key.token.slice(0, -1), accountId: account.accountId });
    const lines = (from: number, to?: number) =>
      capturedOutput()
        .slice(from, to)
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    return { account, key, allowed, allowLines: lines(before, afterAllow), refusalLines: lines(afterAllow) };
  }

  it('write nothing for an allow and one info line with a refusal metric for a refusal, by default', async () => {
    const { account, allowed, allowLines, refusalLines } = await oneAllowOneRefusal();
    expect(allowed.isAuthorized).toBe(true);
    expect(allowLines).toEqual([]);
    expect(refusalLines).toHaveLength(1);
    expect(refusalLines[0]).toMatchObject({
      level: 'info',
      message: 'authorizer decision',
      decision: 'deny',
      reason: 'malformed_token',
      accountId: account.accountId,
      route: 'GET /v1/sites',
      kind: 'http-api',
      Reason: 'malformed_token',
      Refusals: 1,
      _aws: {
        CloudWatchMetrics: [
          { Namespace: 'Latchkey', Dimensions: [['Reason']], Metrics: [{ Name: 'Refusals', Unit: 'Count' }] },
        ],
      },
    });
    expect(refusalLines[0]).not.toHaveProperty('keyId');
    expect(Date.parse(String(refusalLines[0]?.timestamp))).not.toBeNaN();
  });

  it("write the allow at debug when Lambda's application log level asks for debug", async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'DEBUG';
    try {
      const { account, key, allowLines } = await oneAllowOneRefusal();
      expect(allowLines).toHaveLength(1);
      expect(allowLines[0]).toMatchObject({
        level: 'debug',
        decision: 'allow',
        reason: 'allowed',
        keyId: key.record.keyId,
        accountId: account.accountId,
        route: 'GET /v1/sites',
        kind: 'http-api',
      });
      expect(allowLines[0]).not.toHaveProperty('_aws');
      expect(capturedOutput()).not.toContain(key.token.slice(0, -1));
    } finally {
      delete process.env.AWS_LAMBDA_LOG_LEVEL;
    }
  });

  it('keep refusals out of the log, metric included, when the level is warn', async () => {
    process.env.AWS_LAMBDA_LOG_LEVEL = 'WARN';
    try {
      const { allowLines, refusalLines } = await oneAllowOneRefusal();
      expect(allowLines).toEqual([]);
      // The refusal's line is under the level; its count still gets a line of its own.
      expect(refusalLines).toEqual([expect.objectContaining({ message: 'metrics', Refusals: 1 })]);
    } finally {
      delete process.env.AWS_LAMBDA_LOG_LEVEL;
    }
  });
});
