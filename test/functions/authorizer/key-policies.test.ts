import type { APIGatewayAuthorizerResult, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { beforeEach, describe, expect, it } from 'vitest';
import { handler } from '../../../functions/authorizer/authorize';
import { keyStore } from '../../../shared/wiring/stores';
import { seedAccount } from '../../support/accounts';
import { capturedOutput } from '../../support/log-capture';
import {
  forgedToken,
  httpApiEvent,
  type IssuedKey,
  issueKey,
  restRequestEvent,
  restTokenEvent,
  rotateKey,
  STAGE_ARN,
  watchDynamo,
} from './support';

/**
 * The key policies in the authorizer, in all three event formats, over the real local table: every
 * decision is still exactly one GetItem (the keys below were just used, so no lastUsedAt write).
 */
const dynamo = watchDynamo();
beforeEach(() => dynamo.reset());

type Simple = APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;
const simple = async (...args: Parameters<typeof httpApiEvent>) =>
  (await handler(httpApiEvent(...args))) as Simple;
const rest = async (event: Parameters<typeof handler>[0]) =>
  (await handler(event)) as APIGatewayAuthorizerResult;
const justUsed = () => new Date().toISOString();
const inAnHour = () => new Date(Date.now() + 3600_000).toISOString();

function lastReason(keyId: string): unknown {
  const lines = capturedOutput()
    .split('\n')
    .filter((line) => line.includes('"authorizer decision"') && line.includes(keyId));
  return (JSON.parse(lines.at(-1) ?? '{}') as { reason?: unknown }).reason;
}

const caller = (key: IssuedKey, extra: { siteId?: string; sourceIp?: string } = {}) => ({
  authorization: key.token,
  accountId: key.record.accountId,
  ...extra,
});

describe('every policy at once, HTTP API', () => {
  it('allows what every limit allows, with one read, and passes access and expiresAt', async () => {
    const { account } = await seedAccount();
    const [siteA, siteB] = account.sites.map((s) => s.siteId);
    const expiresAt = inAnHour();
    const key = await issueKey(account, {
      permissions: ['sites.list', 'stores:read'],
      lastUsedAt: justUsed(),
      limits: { expiresAt, allowedSiteIds: [siteB ?? ''], allowedIps: ['198.51.100.0/24', '2001:db8::/32'] },
    });
    dynamo.reset();
    const allowed = await simple(
      'GET /v1/stores/products',
      caller(key, { siteId: siteB, sourceIp: '198.51.100.7' }),
    );
    expect(allowed).toEqual({
      isAuthorized: true,
      context: {
        accountId: account.accountId,
        keyId: key.record.keyId,
        permissions: 'sites.list,stores:read',
        siteId: siteB,
        access: 'read',
        expiresAt,
      },
    });
    expect(dynamo.calls).toEqual(['GetItem']);

    const refusals = [
      { route: 'POST /v1/stores/products', siteId: siteB, sourceIp: '198.51.100.7', reason: 'read_only_key' },
      {
        route: 'GET /v1/stores/products',
        siteId: siteA,
        sourceIp: '198.51.100.7',
        reason: 'site_not_allowed',
      },
      { route: 'GET /v1/stores/products', siteId: siteB, sourceIp: '203.0.113.9', reason: 'ip_not_allowed' },
      { route: 'GET /v1/sites', siteId: undefined, sourceIp: '2001:db9::1', reason: 'ip_not_allowed' },
    ];
    for (const { route, reason, ...extra } of refusals) {
      dynamo.reset();
      expect(await simple(route, caller(key, extra))).toEqual({ isAuthorized: false, context: {} });
      expect(lastReason(key.record.keyId), route).toBe(reason);
      expect(dynamo.calls).toEqual(['GetItem']);
    }
    dynamo.reset();
    expect((await simple('GET /v1/sites', caller(key, { sourceIp: '2001:db8:ffff::1' }))).isAuthorized).toBe(
      true,
    );
    expect(
      (await simple('GET /v1/sites', caller(key, { sourceIp: '::ffff:198.51.100.200' }))).isAuthorized,
    ).toBe(true);
    expect(dynamo.calls).toEqual(['GetItem', 'GetItem']);
  });

  it('refuses an expired key with key_expired after one read', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account, {
      lastUsedAt: justUsed(),
      limits: { expiresAt: new Date(Date.now() - 1000).toISOString() },
    });
    dynamo.reset();
    expect((await simple('GET /v1/sites', caller(key))).isAuthorized).toBe(false);
    expect(lastReason(key.record.keyId)).toBe('key_expired');
    expect(dynamo.calls).toEqual(['GetItem']);
  });
});

describe('REST REQUEST and TOKEN policies', () => {
  it('checks the source IP from requestContext.identity and denies the whole stage outside the list', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account, { lastUsedAt: justUsed(), limits: { allowedIps: ['192.0.2.0/28'] } });
    const inside = await rest(
      restRequestEvent('GET', '/v1/sites', { ...caller(key), sourceIp: '192.0.2.15' }),
    );
    expect(inside.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow' });
    const outside = await rest(
      restRequestEvent('GET', '/v1/sites', { ...caller(key), sourceIp: '192.0.2.16' }),
    );
    expect(outside).toEqual({
      principalId: 'latchkey:anonymous',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/*`] }],
      },
    });
    expect(lastReason(key.record.keyId)).toBe('ip_not_allowed');
    // A TOKEN event carries no source address: a key limited to addresses is refused there.
    const token = await rest(restTokenEvent('GET', '/v1/sites', key.token));
    expect(token.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/*`] },
    ]);
    expect(lastReason(key.record.keyId)).toBe('ip_not_allowed');
  });

  it('allows a read-only key only the reading routes, and only its chosen sites', async () => {
    const { account } = await seedAccount();
    const [siteA, siteB] = account.sites.map((s) => s.siteId);
    const key = await issueKey(account, {
      permissions: ['sites.list', 'stores:read', 'accounts.manage'],
      lastUsedAt: justUsed(),
      limits: { allowedSiteIds: [siteA ?? ''] },
    });
    dynamo.reset();
    const chosen = await rest(
      restRequestEvent('GET', '/v1/stores/products', { ...caller(key), siteId: siteA }),
    );
    expect(chosen.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [
          `${STAGE_ARN}/GET/v1/sites`,
          `${STAGE_ARN}/POST/v1/sites`,
          `${STAGE_ARN}/GET/v1/stores/products`,
        ],
      },
    ]);
    expect(chosen.context).toMatchObject({ access: 'read', siteId: siteA });
    const other = await rest(
      restRequestEvent('GET', '/v1/stores/products', { ...caller(key), siteId: siteB }),
    );
    expect(other.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${STAGE_ARN}/GET/v1/sites`, `${STAGE_ARN}/POST/v1/sites`],
      },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/GET/v1/stores/products`] },
    ]);
    expect(lastReason(key.record.keyId)).toBe('site_not_allowed');
    const write = await rest(
      restRequestEvent('POST', '/v1/stores/products', { ...caller(key), siteId: siteA }),
    );
    expect(write.policyDocument.Statement.at(-1)).toEqual({
      Action: 'execute-api:Invoke',
      Effect: 'Deny',
      Resource: [`${STAGE_ARN}/POST/v1/stores/products`],
    });
    expect(lastReason(key.record.keyId)).toBe('read_only_key');
    expect(dynamo.calls).toEqual(['GetItem', 'GetItem', 'GetItem']);
  });
});

describe('rotation grace in the authorizer', () => {
  it('accepts the previous token only while its grace lasts, still with one read', async () => {
    const { account } = await seedAccount();
    const old = await issueKey(account, { lastUsedAt: justUsed() });
    const rotated = await rotateKey(old);
    const inGrace = {
      ...rotated.record,
      previousToken: {
        tokenHash: old.record.tokenHash,
        pepperVersion: old.record.pepperVersion,
        validUntil: inAnHour(),
      },
      version: rotated.record.version + 1,
    };
    await keyStore().replace(inGrace, rotated.record.version);
    dynamo.reset();
    expect((await simple('GET /v1/sites', caller(old))).isAuthorized).toBe(true);
    const graceLine = capturedOutput()
      .split('\n')
      .find((line) => line.includes(old.record.keyId) && line.includes('"previousToken":true'));
    expect(graceLine).toContain('"decision":"allow"');
    expect((await simple('GET /v1/sites', caller(rotated))).isAuthorized).toBe(true);
    // A token that was never this key's is refused during a grace period too.
    const forged = { ...caller(old), authorization: forgedToken(old.record.keyId) };
    expect((await simple('GET /v1/sites', forged)).isAuthorized).toBe(false);
    expect(dynamo.calls).toEqual(['GetItem', 'GetItem', 'GetItem']);

    const ended = {
      ...inGrace,
      previousToken: { ...inGrace.previousToken, validUntil: new Date().toISOString() },
    };
    await keyStore().replace({ ...ended, version: inGrace.version + 1 }, inGrace.version);
    expect((await simple('GET /v1/sites', caller(old))).isAuthorized).toBe(false);
    expect(lastReason(old.record.keyId)).toBe('token_mismatch');
  });
});
