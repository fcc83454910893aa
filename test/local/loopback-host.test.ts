import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningLatchkey, startLatchkey } from '../../local/server';
import { rememberSecret } from '../support/log-capture';
import { type RawAnswer, type RawRequest, startTestStack, withHost } from './local-stack';

/**
 * The DNS-rebinding attack: a page on a foreign name that resolves to 127.0.0.1 reads local mode
 * as its own origin. What it cannot change is the Host header, so these requests go over real
 * sockets to the real local server, carrying the Host a browser would send.
 */
let stack: RunningLatchkey;
let port: number;

beforeAll(async () => {
  stack = await startTestStack();
  port = Number(new URL(stack.url).port);
});

afterAll(async () => {
  await stack.close();
});

function refusal(answer: RawAnswer) {
  expect(answer.status).toBe(421);
  expect(answer.headers['content-type']).toBe('application/json');
  return JSON.parse(answer.text) as { error: { code: string; message: string; details: unknown } };
}

describe('local mode answers loopback Host headers only', () => {
  it('refuses /local/dev-token to a rebinding page with 421 host_not_allowed naming the host, and issues no token', async () => {
    const answer = await withHost(stack.url, `rebind.attacker.example:${port}`, { path: '/local/dev-token' });
    const body = refusal(answer);
    expect(body.error.code).toBe('host_not_allowed');
    expect(body.error.message).toContain('"rebind.attacker.example:');
    expect(body.error.message).toContain(`localhost:${port}`);
    expect(body.error.details).toEqual({
      host: `rebind.attacker.example:${port}`,
      allowedHosts: [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`],
    });
    expect(answer.text).not.toContain('token"');
  });

  it('refuses every room of the server before it runs: inbox, JWKS, console, config, sign-in form, token endpoint, management and protected APIs', async () => {
    const foreign = `evil.example:${port}`;
    const requests: RawRequest[] = [
      { path: '/local/inbox' },
      { path: '/local/.well-known/jwks.json' },
      { path: '/' },
      { path: '/config.json' },
      { path: '/openapi.json' },
      { path: '/local/authorize?client_id=x' },
      {
        method: 'POST',
        path: '/local/token',
        body: 'grant_type=authorization_code&code=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      },
      { path: '/v1/permissions', headers: { authorization: 'Bearer x' } },
      { method: 'POST', path: '/v1/api-keys', body: '{}', headers: { 'content-type': 'application/json' } },
      { path: '/v1/sites', headers: { authorization: 'Bearer lk_x', 'x-account-id': 'a' } },
    ];
    for (const init of requests) {
      expect(refusal(await withHost(stack.url, foreign, init)).error.code, init.path).toBe(
        'host_not_allowed',
      );
    }
  });

  it('refuses foreign names that point at loopback, loopback names on another port, and a missing Host', async () => {
    for (const host of [
      'evil.example',
      `localhost.evil.example:${port}`,
      `127.0.0.1.nip.io:${port}`,
      `localhost:${port === 1 ? 2 : 1}`,
      `127.0.0.1:${port}0`,
      `[::1]`,
      `0.0.0.0:${port}`,
      `localhost:${port}@evil.example`,
      '',
    ]) {
      expect(refusal(await withHost(stack.url, host, { path: '/local/dev-token' })).error.code, host).toBe(
        'host_not_allowed',
      );
    }
  });

  it('answers localhost, 127.0.0.1 and [::1] with the port, in any case', async () => {
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, `LocalHost:${port}`]) {
      const answer = await withHost(stack.url, host, { path: '/local/dev-token' });
      expect(answer.status, host).toBe(200);
      const { token } = JSON.parse(answer.text) as { token: string };
      rememberSecret(token);
    }
    expect((await withHost(stack.url, `localhost:${port}`, { path: '/v1/permissions' })).status).toBe(401);
  });
});

describe('a bind address the user set', () => {
  it('is answered beside the loopback names, and foreign names are still refused', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-bind-'));
    const bound = await startLatchkey({
      port: 0,
      host: '127.0.0.2',
      dataDir,
      tableName: stack.tableName,
      banner: false,
      engines: { dynamoEndpoint: stack.dynamoEndpoint, sesEndpoint: stack.sesUrl },
    });
    try {
      const boundPort = new URL(bound.url).port;
      expect(bound.url).toBe(`http://127.0.0.2:${boundPort}`);
      for (const host of [`127.0.0.2:${boundPort}`, `localhost:${boundPort}`]) {
        const answer = await withHost(bound.url, host, { path: '/local/.well-known/jwks.json' });
        expect(answer.status, host).toBe(200);
      }
      const refused = refusal(
        await withHost(bound.url, `evil.example:${boundPort}`, { path: '/local/inbox' }),
      );
      expect(refused.error.details).toMatchObject({
        allowedHosts: expect.arrayContaining([`127.0.0.2:${boundPort}`]),
      });
    } finally {
      await bound.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
