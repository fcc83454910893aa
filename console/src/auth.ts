import * as oauth from 'oauth4webapi';
import type { ConsoleConfig } from './config';

/**
 * Sign-in with the authorization-code flow and PKCE for a public client (no secret), through
 * oauth4webapi. The same code path serves Cognito's hosted sign-in when deployed and the local
 * issuer under `npm start`. The tokens live in this module's memory only: never localStorage, never
 * a URL after the callback. Only the PKCE verifier and state cross the redirect, in sessionStorage,
 * and are removed as soon as the callback reads them.
 */
export interface Session {
  /** Sent as the bearer token to the management API. */
  readonly accessToken: string;
  /** Who signed in, from the ID token, for the header. */
  readonly email: string;
  readonly expiresAt: number;
}

const PENDING_KEY = 'latchkey.signin';

interface PendingSignIn {
  readonly verifier: string;
  readonly state: string;
}

/** The page itself is the callback: the issuer redirects back to `/` with `code` and `state`. */
export function redirectUri(): string {
  return `${window.location.origin}/`;
}

function insecureAllowed(config: ConsoleConfig): Record<symbol, boolean> {
  // Plain http is only acceptable for the local issuer on the developer's own machine.
  return config.localMode ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(config: ConsoleConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  const response = await oauth.discoveryRequest(issuer, insecureAllowed(config));
  return oauth.processDiscoveryResponse(issuer, response);
}

function client(config: ConsoleConfig): oauth.Client {
  return { client_id: config.clientId };
}

/** Sends the browser to the issuer's sign-in page. */
export async function startSignIn(config: ConsoleConfig): Promise<void> {
  const server = await discover(config);
  if (server.authorization_endpoint === undefined)
    throw new Error('The issuer has no authorization endpoint');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const pending: PendingSignIn = { verifier, state };
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  const url = new URL(server.authorization_endpoint);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', redirectUri());
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scopes);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  url.searchParams.set('state', state);
  window.location.assign(url.href);
}

/** True when the current URL is the issuer's redirect back to the page. */
export function isCallback(): boolean {
  const params = new URLSearchParams(window.location.search);
  return params.has('state') && (params.has('code') || params.has('error'));
}

/**
 * Trades the callback's code for tokens, then takes the code and state out of the address bar so
 * neither survives in history.
 */
export async function completeSignIn(config: ConsoleConfig): Promise<Session> {
  const current = new URL(window.location.href);
  window.history.replaceState(null, '', '/');
  const stored = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  const pending = parsePending(stored);
  if (pending === undefined) throw new Error('This sign-in was not started here. Sign in again.');
  const server = await discover(config);
  const params = oauth.validateAuthResponse(server, client(config), current, pending.state);
  const response = await oauth.authorizationCodeGrantRequest(
    server,
    client(config),
    oauth.None(),
    params,
    redirectUri(),
    pending.verifier,
    insecureAllowed(config),
  );
  const result = await oauth.processAuthorizationCodeResponse(server, client(config), response);
  const claims = oauth.getValidatedIdTokenClaims(result);
  const email = typeof claims?.email === 'string' ? claims.email : (claims?.sub ?? 'signed in');
  return {
    accessToken: result.access_token,
    email,
    expiresAt: Date.now() + (result.expires_in ?? 3600) * 1000,
  };
}

function parsePending(stored: string | null): PendingSignIn | undefined {
  if (stored === null) return undefined;
  try {
    const value: unknown = JSON.parse(stored);
    if (typeof value !== 'object' || value === null) return undefined;
    const fields: Record<string, unknown> = Object.fromEntries(Object.entries(value));
    const { verifier, state } = fields;
    return typeof verifier === 'string' && typeof state === 'string' ? { verifier, state } : undefined;
  } catch {
    return undefined;
  }
}
