import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { discoverIssuer, SignInError, signInWithBrowser } from '../../cli/sign-in';
import { DEMO_ACCOUNTS } from '../../local/demo';
import type { RunningLatchkey } from '../../local/server';
import { startTestStack } from '../local/local-stack';
import { rememberSecret } from '../support/log-capture';

/**
 * `latchkey login` against an issuer that allows one fixed loopback redirect (as the deployed
 * Cognito app client does), played through the real local issuer of `npm start`.
 */
let stack: RunningLatchkey;

beforeAll(async () => {
  stack = await startTestStack();
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

/** A port nothing listens on right now (taken from the OS, then released). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Plays the browser on the local issuer's sign-in page, choosing the first demo owner. */
async function signInAs(authorizeUrl: string): Promise<string> {
  const page = await (await fetch(authorizeUrl)).text();
  const form = new URLSearchParams();
  for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    form.set(name ?? '', (value ?? '').replaceAll('&amp;', '&'));
  }
  form.set('user', DEMO_ACCOUNTS[0]?.ownerId ?? '');
  const chosen = await fetch(new URL('/local/authorize', stack.url), {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  expect(chosen.status).toBe(303);
  return chosen.headers.get('location') ?? '';
}

describe('latchkey login with a fixed loopback redirect', () => {
  it('reads the redirect from the console’s config.json', async () => {
    const config = createServer((_, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x',
          clientId: 'client',
          cliRedirectUri: 'http://localhost:51423/callback',
        }),
      ),
    );
    await new Promise<void>((resolve) => config.listen(0, '127.0.0.1', resolve));
    try {
      const settings = await discoverIssuer(`http://127.0.0.1:${(config.address() as AddressInfo).port}`);
      expect(settings).toEqual({
        issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_x',
        clientId: 'client',
        scopes: 'openid email',
        redirectUri: 'http://localhost:51423/callback',
      });
    } finally {
      await new Promise((resolve) => (config as Server).close(resolve));
    }
  });

  it('sends the browser back to exactly that redirect and signs in', async () => {
    const port = await freePort();
    const redirectUri = `http://localhost:${port}/callback`;
    const settings = { ...(await discoverIssuer(stack.url)), redirectUri };
    let shown = '';
    const signedIn = signInWithBrowser({ settings, showUrl: (url) => (shown = url), openBrowser: false });
    while (shown === '') await new Promise((resolve) => setTimeout(resolve, 20));
    expect(new URL(shown).searchParams.get('redirect_uri')).toBe(redirectUri);

    const callback = await signInAs(shown);
    expect(callback.startsWith(`${redirectUri}?code=`)).toBe(true);
    // The browser resolves localhost; the listener is on 127.0.0.1.
    expect((await fetch(callback.replace('localhost', '127.0.0.1'))).status).toBe(200);
    const { accessToken } = await signedIn;
    rememberSecret(accessToken);
    const account = await fetch(new URL('/v1/account', stack.url), {
      headers: { authorization: `Bearer ${accessToken}` },
    });
    expect(account.status).toBe(200);
  });

  it('says which port is taken when the redirect’s port is in use', async () => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;
    try {
      const settings = {
        ...(await discoverIssuer(stack.url)),
        redirectUri: `http://localhost:${port}/callback`,
      };
      const attempt = signInWithBrowser({ settings, showUrl: () => undefined, openBrowser: false });
      await expect(attempt).rejects.toThrow(SignInError);
      await expect(attempt).rejects.toThrow(`port ${port}`);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it.each([
    'https://localhost:51423/callback',
    'http://example.com:51423/callback',
    'http://localhost/callback',
  ])('refuses %s as a redirect: it must be http on this machine with a port', async (redirectUri) => {
    const settings = { ...(await discoverIssuer(stack.url)), redirectUri };
    await expect(
      signInWithBrowser({ settings, showUrl: () => undefined, openBrowser: false }),
    ).rejects.toThrow(/must be http on this machine with a port/);
  });
});
