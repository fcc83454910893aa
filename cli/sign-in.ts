import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as oauth from 'oauth4webapi';
import * as z from 'zod';

/**
 * `latchkey login`: the authorization-code flow with PKCE in the user's browser (RFC 8252: a
 * loopback redirect on a free port, state checked, the code exchanged with its verifier). The issuer
 * and client id come from the flags, else from the console's `/config.json` next to the API (local
 * mode serves one; so does a deployed console).
 */
export interface IssuerSettings {
  readonly issuer: string;
  readonly clientId: string;
  readonly scopes: string;
  /**
   * A fixed loopback redirect the issuer has registered for this client. Cognito matches a callback
   * exactly, port included, so a deployed stack names one in its `/config.json`.
   * @default - `http://127.0.0.1:<free port>/callback` (RFC 8252: the issuer allows any port)
   */
  readonly redirectUri?: string | undefined;
}

const consoleConfigSchema = z.object({
  issuer: z.string().min(1),
  clientId: z.string().min(1),
  scopes: z.string().optional(),
  cliRedirectUri: z.string().optional(),
});

/** The issuer the console at `origin` signs in with. */
export async function discoverIssuer(
  origin: string,
  fetchImpl: typeof fetch = fetch,
): Promise<IssuerSettings> {
  const url = new URL('/config.json', origin);
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new SignInError(`could not reach ${url.href}: ${describeNetworkError(error)}`);
  }
  const parsed = consoleConfigSchema.safeParse(response.ok ? await response.json().catch(() => null) : null);
  if (!parsed.success) {
    throw new SignInError(
      `${url.href} does not name an issuer (answered ${response.status}); pass --issuer and --client-id, or use --token`,
    );
  }
  return {
    issuer: parsed.data.issuer,
    clientId: parsed.data.clientId,
    scopes: parsed.data.scopes ?? 'openid email',
    ...(parsed.data.cliRedirectUri === undefined ? {} : { redirectUri: parsed.data.cliRedirectUri }),
  };
}

export class SignInError extends Error {
  override readonly name = 'SignInError';
}

export interface SignedIn {
  readonly accessToken: string;
  /** Epoch ms, when the issuer said how long the token lives. */
  readonly expiresAt: number | undefined;
}

export interface BrowserSignInOptions {
  readonly settings: IssuerSettings;
  /** Told the URL to open; opens a browser unless told not to. */
  readonly showUrl: (url: string) => void;
  readonly openBrowser: boolean;
  /** How long to wait for the browser to come back. @default 5 minutes */
  readonly timeoutMs?: number;
}

export async function signInWithBrowser(options: BrowserSignInOptions): Promise<SignedIn> {
  const issuerUrl = new URL(options.settings.issuer);
  // Plain http only for an issuer on this machine (local mode); anything else must be https.
  const insecure = issuerUrl.protocol === 'http:' && isLoopback(issuerUrl.hostname);
  const httpOptions = insecure ? { [oauth.allowInsecureRequests]: true } : {};
  const as = await oauth
    .discoveryRequest(issuerUrl, { algorithm: 'oidc', ...httpOptions })
    .then((response) => oauth.processDiscoveryResponse(issuerUrl, response))
    .catch((error: unknown) => {
      throw new SignInError(`could not read the issuer's discovery document: ${describeNetworkError(error)}`);
    });
  if (as.authorization_endpoint === undefined || as.token_endpoint === undefined) {
    throw new SignInError(`${issuerUrl.href} publishes no authorization or token endpoint`);
  }
  const client: oauth.Client = { client_id: options.settings.clientId };
  const verifier = oauth.generateRandomCodeVerifier();
  const challenge = await oauth.calculatePKCECodeChallenge(verifier);
  const state = oauth.generateRandomState();

  const callback = await waitForCallback(options.timeoutMs ?? 5 * 60_000, options.settings.redirectUri);
  try {
    const redirectUri = callback.redirectUri;
    const authorize = new URL(as.authorization_endpoint);
    authorize.search = new URLSearchParams({
      response_type: 'code',
      client_id: client.client_id,
      redirect_uri: redirectUri,
      scope: options.settings.scopes,
      state,
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    options.showUrl(authorize.href);
    if (options.openBrowser) openInBrowser(authorize.href);

    const returned = await callback.url;
    let params: URLSearchParams;
    try {
      params = oauth.validateAuthResponse(as, client, returned, state);
    } catch (error) {
      throw new SignInError(`the issuer refused the sign-in: ${errorText(error)}`);
    }
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      redirectUri,
      verifier,
      httpOptions,
    );
    let tokens: oauth.TokenEndpointResponse;
    try {
      tokens = await oauth.processAuthorizationCodeResponse(as, client, response);
    } catch (error) {
      throw new SignInError(`the issuer did not hand out a token: ${errorText(error)}`);
    }
    return {
      accessToken: tokens.access_token,
      expiresAt: tokens.expires_in === undefined ? undefined : Date.now() + tokens.expires_in * 1000,
    };
  } finally {
    callback.close();
  }
}

/**
 * A one-shot loopback listener: the first request to the callback path is the browser coming back.
 * It listens on 127.0.0.1 only, at the fixed redirect's port when there is one, else a free port.
 */
async function waitForCallback(timeoutMs: number, fixedRedirect: string | undefined) {
  const fixed = fixedRedirect === undefined ? undefined : loopbackRedirect(fixedRedirect);
  let resolveUrl: (url: URL) => void = () => undefined;
  let rejectUrl: (error: Error) => void = () => undefined;
  const url = new Promise<URL>((resolve, reject) => {
    resolveUrl = resolve;
    rejectUrl = reject;
  });
  const callbackPath = fixed?.pathname ?? '/callback';
  const server = createServer((req, res) => {
    const target = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (target.pathname !== callbackPath) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
      return;
    }
    const failed = target.searchParams.has('error');
    res
      .writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' })
      .end(
        failed
          ? 'Sign-in failed. Return to the terminal.'
          : 'Signed in. You can close this tab and return to the terminal.',
      );
    resolveUrl(new URL(`${redirectUri}${target.search}`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE' && fixed !== undefined
          ? new SignInError(
              `port ${fixed.port} on this machine, where the sign-in comes back (${fixed.href}), is in use: ` +
                'stop what holds it and try again',
            )
          : error,
      ),
    );
    server.listen(fixed === undefined ? 0 : Number(fixed.port), '127.0.0.1', () => resolve());
  });
  const redirectUri = fixed?.href ?? `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`;
  const timer = setTimeout(
    () => rejectUrl(new SignInError(`no answer from the browser within ${Math.round(timeoutMs / 1000)} s`)),
    timeoutMs,
  );
  return {
    redirectUri,
    url,
    close: () => {
      clearTimeout(timer);
      server.close();
      server.closeAllConnections();
    },
  };
}

/** A fixed redirect must come back to this machine over plain http, on a port of its own. */
function loopbackRedirect(text: string): URL {
  let redirect: URL;
  try {
    redirect = new URL(text);
  } catch {
    throw new SignInError(`the sign-in redirect "${text}" is not a URL`);
  }
  if (redirect.protocol !== 'http:' || !isLoopback(redirect.hostname) || redirect.port === '') {
    throw new SignInError(
      `the sign-in redirect ${redirect.href} must be http on this machine with a port (e.g. http://localhost:51423/callback)`,
    );
  }
  return redirect;
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    // No browser opener on this machine: the URL is printed anyway.
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // As above: the printed URL is the fallback.
  }
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || host === '::1' || host.startsWith('127.');
}

function errorText(error: unknown): string {
  if (error instanceof oauth.ResponseBodyError)
    return `${error.error}: ${error.error_description ?? error.message}`;
  if (error instanceof oauth.AuthorizationResponseError) {
    return `${error.error}: ${error.error_description ?? error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

export function describeNetworkError(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause;
    if (cause instanceof Error && 'code' in cause && typeof cause.code === 'string') return cause.code;
    return error.message;
  }
  return String(error);
}
