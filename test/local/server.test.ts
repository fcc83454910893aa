import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { generateKeyPair, importJWK, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../local/demo';
import { LocalGateway } from '../../local/gateway';
import { LOCAL_AUDIENCE, LocalIssuer } from '../../local/issuer';
import { SECRETS_FILE } from '../../local/local-secrets';
import { PROJECT_ROOT, type RunningLatchkey } from '../../local/server';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import { PERMISSIONS } from '../../shared/domain/permissions';
import type { RouteDefinition } from '../../shared/routes';
import { mailer } from '../../shared/wiring/mail';
import { rememberSecret } from '../support/log-capture';
import { bearer, call, devToken, startTestStack } from './local-stack';

let stack: RunningLatchkey;
const [jane, omar] = DEMO_ACCOUNTS;
if (jane === undefined || omar === undefined) throw new Error('two demo accounts expected');

beforeAll(async () => {
  stack = await startTestStack();
});

afterAll(async () => {
  await stack.close();
});

async function tableItems(): Promise<Record<string, unknown>[]> {
  const { Items } = await dynamoDocumentClient().send(
    new ScanCommand({ TableName: stack.tableName, ConsistentRead: true }),
  );
  return Items ?? [];
}

async function signingKeyOfDataDir() {
  const secrets = JSON.parse(await readFile(join(stack.dataDir, SECRETS_FILE), 'utf8')) as {
    signingKey: { kid: string } & Record<string, string>;
  };
  return { key: await importJWK(secrets.signingKey, 'ES256'), kid: secrets.signingKey.kid };
}

describe('first start', () => {
  it('creates the table and seeds the two demo accounts with their sites and owners', async () => {
    for (const demo of [jane, omar]) {
      const { Item: account } = await dynamoDocumentClient().send(
        new GetCommand({ TableName: stack.tableName, Key: keyOf.account(demo.accountId) }),
      );
      expect(account).toMatchObject({ accountId: demo.accountId, email: demo.email, sites: demo.sites });
      const { Item: membership } = await dynamoDocumentClient().send(
        new GetCommand({ TableName: stack.tableName, Key: keyOf.membership(demo.ownerId) }),
      );
      expect(membership).toMatchObject({ userId: demo.ownerId, accountId: demo.accountId, role: 'owner' });
    }
  });

  it('keeps its generated secrets in the data dir, readable by the owner only', async () => {
    const file = join(stack.dataDir, SECRETS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    const secrets = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(secrets).sort()).toEqual(['masterKey', 'peppers', 'signingKey']);
    expect(Buffer.from(String(secrets.masterKey), 'base64')).toHaveLength(32);
  });

  it('a restart on the same data dir duplicates nothing and keeps the signing key', async () => {
    const before = await tableItems();
    const jwksBefore = await call(`${stack.url}/local/.well-known/jwks.json`);
    const again = await startTestStack(stack.dataDir);
    try {
      const after = await tableItems();
      expect(after).toHaveLength(before.length);
      expect(after.filter((item) => item.sk === 'ACCOUNT')).toHaveLength(2);
      expect(after.filter((item) => item.sk === 'MEMBERSHIP')).toHaveLength(2);
      const jwksAfter = await call(`${again.url}/local/.well-known/jwks.json`);
      expect(jwksAfter.json).toEqual(jwksBefore.json);
    } finally {
      await again.close();
    }
  });
});

describe('routing like API Gateway', () => {
  it('answers 404 {"message":"Not Found"} for an unknown path', async () => {
    const answer = await call(`${stack.url}/v2/nothing-here`);
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: 'Not Found' });
  });

  it('answers 404, not 405, for a known path with another method (HTTP APIs have no 405)', async () => {
    const answer = await call(`${stack.url}/v1/account`, {
      method: 'DELETE',
      headers: bearer(await devToken(stack)),
    });
    expect(answer.status).toBe(404);
    expect(answer.json).toEqual({ message: 'Not Found' });
  });

  it('refuses a body over 1 MiB with 413 before any handler runs', async () => {
    const answer = await call(`${stack.url}/v1/api-keys`, {
      method: 'POST',
      headers: { ...bearer(await devToken(stack)), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) }),
    });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ message: 'Request Entity Too Large' });
  });
  it('also refuses a streamed (chunked) body over 1 MiB with 413, answering instead of resetting', async () => {
    const chunk = new Uint8Array(256 * 1024).fill(0x61);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= 6) controller.close();
        else {
          sent += 1;
          controller.enqueue(chunk);
        }
      },
    });
    const answer = await call(`${stack.url}/v1/api-keys`, {
      method: 'POST',
      headers: { ...bearer(await devToken(stack)), 'content-type': 'application/json' },
      body,
      duplex: 'half',
    });
    expect(answer.status).toBe(413);
    expect(answer.json).toEqual({ message: 'Request Entity Too Large' });
  });
});

describe('the JWT authorizer of the management API', () => {
  it('answers 401 {"message":"Unauthorized"} without a bearer token', async () => {
    const answer = await call(`${stack.url}/v1/account`);
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 for a token signed by another key, even with the right issuer and audience', async () => {
    const { privateKey } = await generateKeyPair('ES256');
    const { kid } = await signingKeyOfDataDir();
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'ES256', kid })
      .setSubject(jane.ownerId)
      .setIssuer(`${stack.url}/local`)
      .setAudience(LOCAL_AUDIENCE)
      .setExpirationTime('1h')
      .sign(privateKey);
    rememberSecret(forged);
    const answer = await call(`${stack.url}/v1/account`, { headers: bearer(forged) });
    expect(answer.status).toBe(401);
    expect(answer.json).toEqual({ message: 'Unauthorized' });
  });

  it('answers 401 for an expired token, a future nbf, a wrong audience or a wrong issuer signed with the real key', async () => {
    const { key, kid } = await signingKeyOfDataDir();
    const now = Math.floor(Date.now() / 1000);
    const sign = (build: (jwt: SignJWT) => SignJWT) =>
      build(new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid }).setSubject(jane.ownerId)).sign(key);
    const valid = await sign((jwt) =>
      jwt
        .setIssuer(`${stack.url}/local`)
        .setAudience(LOCAL_AUDIENCE)
        .setExpirationTime(now + 600),
    );
    const bad = [
      await sign((jwt) =>
        jwt
          .setIssuer(`${stack.url}/local`)
          .setAudience(LOCAL_AUDIENCE)
          .setIssuedAt(now - 7200)
          .setExpirationTime(now - 3600),
      ),
      await sign((jwt) =>
        jwt
          .setIssuer(`${stack.url}/local`)
          .setAudience(LOCAL_AUDIENCE)
          .setNotBefore(now + 3600)
          .setExpirationTime(now + 7200),
      ),
      await sign((jwt) =>
        jwt
          .setIssuer(`${stack.url}/local`)
          .setAudience('someone-else')
          .setExpirationTime(now + 600),
      ),
      await sign((jwt) =>
        jwt
          .setIssuer('https://issuer.example')
          .setAudience(LOCAL_AUDIENCE)
          .setExpirationTime(now + 600),
      ),
      await sign((jwt) => jwt.setIssuer(`${stack.url}/local`).setAudience(LOCAL_AUDIENCE)),
    ];
    for (const token of [valid, ...bad]) rememberSecret(token);
    // The control proves the bad ones fail for their one flaw, not for how the test signs.
    expect((await call(`${stack.url}/v1/account`, { headers: bearer(valid) })).status).toBe(200);
    for (const token of bad) {
      const answer = await call(`${stack.url}/v1/account`, { headers: bearer(token) });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ message: 'Unauthorized' });
    }
  });

  it('answers 401 for something that is not a JWT at all', async () => {
    for (const authorization of ['Bearer not-a-jwt', 'Bearer ', 'Basic dXNlcjpwYXNz']) {
      const answer = await call(`${stack.url}/v1/account`, { headers: { authorization } });
      expect(answer.status).toBe(401);
    }
  });

  it('publishes the public key only, with an OpenID configuration pointing at it', async () => {
    const jwks = (await call(`${stack.url}/local/.well-known/jwks.json`)).json as {
      keys: Record<string, unknown>[];
    };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256' });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const config = (await call(`${stack.url}/local/.well-known/openid-configuration`)).json;
    expect(config).toMatchObject({
      issuer: `${stack.url}/local`,
      jwks_uri: `${stack.url}/local/.well-known/jwks.json`,
    });
  });
});

describe('GET /local/dev-token and the management routes behind it', () => {
  it("signs a token for the first demo account's owner and lists the accounts", async () => {
    const answer = await call(`${stack.url}/local/dev-token`);
    expect(answer.status).toBe(200);
    const body = answer.json as { token: string; accountId: string; userId: string; accounts: unknown[] };
    rememberSecret(body.token);
    expect(body.accountId).toBe(jane.accountId);
    expect(body.userId).toBe(jane.ownerId);
    expect(body.accounts).toEqual([
      { accountId: jane.accountId, email: jane.email },
      { accountId: omar.accountId, email: omar.email },
    ]);
    expect(answer.headers.get('cache-control')).toBe('no-store');

    const account = await call(`${stack.url}/v1/account`, { headers: bearer(body.token) });
    expect(account.status).toBe(200);
    expect(account.json).toEqual({
      accountId: jane.accountId,
      email: 'j***@acme.example',
      sites: jane.sites,
    });
    expect(account.headers.get('cache-control')).toBe('no-store');
  });

  it('signs for the account named by ?account=, and the handler sees that account', async () => {
    const token = await devToken(stack, omar.accountId);
    const account = await call(`${stack.url}/v1/account`, { headers: bearer(token) });
    expect(account.json).toEqual({
      accountId: omar.accountId,
      email: 'o***@globex.example',
      sites: omar.sites,
    });
  });

  it('answers 404 JSON for an unknown account', async () => {
    const answer = await call(`${stack.url}/local/dev-token?account=00000000-0000-4000-8000-000000000000`);
    expect(answer.status).toBe(404);
    expect(answer.json).toMatchObject({ error: { code: 'not_found' } });
  });

  it('GET /v1/permissions lists the catalog', async () => {
    const answer = await call(`${stack.url}/v1/permissions`, { headers: bearer(await devToken(stack)) });
    expect(answer.status).toBe(200);
    expect((answer.json as { permissions: { id: string }[] }).permissions.map((p) => p.id)).toEqual(
      PERMISSIONS.map((p) => p.id),
    );
  });
});

describe('GET /local/inbox', () => {
  it('shows what the local SES received, newest first, as {to, subject, text, sentAt}', async () => {
    const to = `inbox-${Date.now()}@example.com`;
    for (const subject of ['first', 'second']) {
      await mailer().send({ to, subject, text: `body of ${subject}` });
    }
    const answer = await call(`${stack.url}/local/inbox`);
    expect(answer.status).toBe(200);
    const emails = (
      answer.json as { emails: { to: string; subject: string; text: string; sentAt: string }[] }
    ).emails;
    const mine = emails.filter((email) => email.to === to);
    expect(mine.map((email) => email.subject)).toEqual(['second', 'first']);
    expect(mine[0]).toMatchObject({ to, text: 'body of second' });
    expect(Date.parse(mine[0]?.sentAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
  });
});

describe('the protected API identity sources', () => {
  it('answers 401 {"message":"Unauthorized"} when Authorization or x-account-id is missing', async () => {
    const partial: Record<string, string>[] = [
      {},
      { authorization: 'lk_x' },
      { 'x-account-id': jane.accountId },
    ];
    for (const headers of partial) {
      const answer = await call(`${stack.url}/v1/sites`, { headers });
      expect(answer.status).toBe(401);
      expect(answer.json).toEqual({ message: 'Unauthorized' });
    }
  });
});

/**
 * The gateway on its own, over fixture handlers and a fixture authorizer, to pin down the API
 * Gateway behaviours the real handlers cannot steer: the event shape, allow/deny/throw, 500s.
 */
describe('the local gateway over fixture routes', () => {
  let server: Server;
  let base: string;
  let issuer: LocalIssuer;
  const fixture = (file: string) => `test/local/fixtures/${file}`;
  const routes: RouteDefinition[] = [
    {
      id: 'Echo',
      api: 'management',
      method: 'POST',
      path: '/echo/{itemId}',
      handler: fixture('echo-handler.ts'),
      auth: { kind: 'jwt' },
      grants: [],
    },
    {
      id: 'Throws',
      api: 'management',
      method: 'GET',
      path: '/throws',
      handler: fixture('throwing-handler.ts'),
      auth: { kind: 'jwt' },
      grants: [],
    },
    {
      id: 'Plain',
      api: 'management',
      method: 'GET',
      path: '/plain',
      handler: fixture('plain-result-handler.ts'),
      auth: { kind: 'jwt' },
      grants: [],
    },
    {
      id: 'Missing',
      api: 'management',
      method: 'GET',
      path: '/missing',
      handler: fixture('not-written-yet.ts'),
      auth: { kind: 'jwt' },
      grants: [],
    },
    {
      id: 'ProtectedEcho',
      api: 'protected',
      method: 'GET',
      path: '/protected/{itemId}',
      handler: fixture('echo-handler.ts'),
      auth: { kind: 'apiKey', permission: 'stores', scope: 'site' },
      grants: [],
    },
  ];

  beforeAll(async () => {
    const secrets = JSON.parse(await readFile(join(stack.dataDir, SECRETS_FILE), 'utf8')) as {
      signingKey: { kid: string; kty: string };
    };
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    issuer = await LocalIssuer.create(`${base}/local`, secrets.signingKey);
    const gateway = new LocalGateway({
      projectRoot: PROJECT_ROOT,
      issuer,
      routes,
      authorizerModule: fixture('decision-authorizer.ts'),
    });
    server.on('request', gateway.listener);
  });

  afterAll(async () => {
    await new Promise((resolve) => {
      server.close(resolve);
      server.closeAllConnections();
    });
  });

  it('builds the payload 2.0 event: route key, path parameters, query, lower-cased headers, cookies, body, claims', async () => {
    const token = await issuer.issue('user-echo');
    rememberSecret(token);
    const answer = await call(`${base}/echo/a%20b?limit=5&tag=x&tag=y`, {
      method: 'POST',
      headers: {
        Authorization: `Bearer ${token}`,
        'X-Custom': 'Value',
        cookie: 'c1=1; c2=2',
        'content-type': 'application/json',
      },
      body: '{"hello":"world"}',
    });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-echo')).toBe('yes');
    expect(answer.headers.get('set-cookie')).toBe('echo=1; Path=/');
    const event = answer.json as Record<string, unknown> & {
      headers: Record<string, string>;
      requestContext: Record<string, unknown> & {
        http: Record<string, unknown>;
        authorizer: { jwt: { claims: Record<string, string> } };
      };
    };
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'POST /echo/{itemId}',
      rawPath: '/echo/a%20b',
      rawQueryString: 'limit=5&tag=x&tag=y',
      queryStringParameters: { limit: '5', tag: 'x,y' },
      pathParameters: { itemId: 'a b' },
      cookies: ['c1=1', 'c2=2'],
      body: '{"hello":"world"}',
      isBase64Encoded: false,
    });
    expect(event.headers['x-custom']).toBe('Value');
    expect(event.headers).not.toHaveProperty('cookie');
    expect(event.requestContext).toMatchObject({ routeKey: 'POST /echo/{itemId}', stage: '$default' });
    expect(event.requestContext.http).toMatchObject({ method: 'POST', path: '/echo/a%20b' });
    expect(typeof event.requestContext.requestId).toBe('string');
    expect(typeof event.requestContext.timeEpoch).toBe('number');
    expect(event.requestContext.authorizer.jwt.claims).toMatchObject({
      sub: 'user-echo',
      iss: `${base}/local`,
      aud: LOCAL_AUDIENCE,
    });
    // API Gateway hands claims over as strings.
    expect(typeof event.requestContext.authorizer.jwt.claims.exp).toBe('string');
  });

  it('answers 500 {"message":"Internal Server Error"} when a handler throws', async () => {
    const token = await issuer.issue('user-throws');
    rememberSecret(token);
    const answer = await call(`${base}/throws`, { headers: bearer(token) });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'Internal Server Error' });
  });

  it('answers 200 JSON for a handler that returns a bare object', async () => {
    const token = await issuer.issue('user-plain');
    rememberSecret(token);
    const answer = await call(`${base}/plain`, { headers: bearer(token) });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ plain: true });
  });

  it('answers 500 for a route whose handler module cannot load, as a failed cold start does in AWS', async () => {
    const token = await issuer.issue('user-missing');
    rememberSecret(token);
    const answer = await call(`${base}/missing`, { headers: bearer(token) });
    expect(answer.status).toBe(500);
    expect(answer.json).toEqual({ message: 'Internal Server Error' });
  });

  it('passes an allowing authorizer context to the handler as requestContext.authorizer.lambda', async () => {
    const answer = await call(`${base}/protected/p1`, {
      headers: {
        authorization: 'lk_fixture',
        'x-account-id': 'acct-1',
        'x-site-id': 'site-1',
        'x-test-decision': 'allow',
      },
    });
    expect(answer.status).toBe(200);
    const event = answer.json as { requestContext: { authorizer: { lambda: Record<string, string> } } };
    expect(event.requestContext.authorizer.lambda).toEqual({
      accountId: 'acct-1',
      keyId: 'fixture-key',
      permissions: 'sites.list',
      siteId: 'site-1',
      seenType: 'REQUEST',
      seenVersion: '2.0',
      seenRouteArn: 'arn:aws:execute-api:local:000000000000:local/$default/GET/protected/{itemId}',
      seenRouteKey: 'GET /protected/{itemId}',
      seenIdentitySourceCount: '2',
    });
  });

  it('answers 403 Forbidden on a deny, 500 on a throw or a malformed answer, 401 without identity', async () => {
    const headers = (decision: string) => ({
      authorization: 'lk_fixture',
      'x-account-id': 'acct-1',
      'x-test-decision': decision,
    });
    const deny = await call(`${base}/protected/p1`, { headers: headers('deny') });
    expect([deny.status, deny.json]).toEqual([403, { message: 'Forbidden' }]);
    const thrown = await call(`${base}/protected/p1`, { headers: headers('throw') });
    expect([thrown.status, thrown.json]).toEqual([500, { message: 'Internal Server Error' }]);
    const malformed = await call(`${base}/protected/p1`, { headers: headers('malformed') });
    expect([malformed.status, malformed.json]).toEqual([500, { message: 'Internal Server Error' }]);
    const anonymous = await call(`${base}/protected/p1`, { headers: { 'x-test-decision': 'allow' } });
    expect([anonymous.status, anonymous.json]).toEqual([401, { message: 'Unauthorized' }]);
  });
});
