import { createHash, randomBytes } from 'node:crypto';
import type { AccountDirectory } from '../shared/domain/onboarding';
import { LOCAL_AUDIENCE, type LocalIssuer } from './issuer';

/**
 * The local issuer's sign-in, as an OAuth 2.0 authorization server for one public client (the
 * console): the authorization-code flow with PKCE (S256 only), exactly as the console runs it
 * against Cognito when deployed. The sign-in page has one button per member of the local accounts,
 * "Sign in as <email>", and no password: this is a laptop.
 *   GET  /local/authorize   the sign-in page (validates the request first)
 *   POST /local/authorize   the chosen member: a one-minute, one-use code, redirected to the client
 *   POST /local/token       the code and its PKCE verifier for an access token and an ID token
 */
export const LOCAL_CLIENT_ID = LOCAL_AUDIENCE;
const CODE_TTL_MS = 60_000;
const SCOPES = 'openid email';

export interface SignInMember {
  readonly userId: string;
  readonly label: string;
  readonly email: string;
}

interface AuthorizationRequest {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly state: string;
  readonly codeChallenge: string;
  readonly scope: string;
}

interface IssuedCode extends AuthorizationRequest {
  readonly member: SignInMember;
  readonly expiresAt: number;
}

export interface SignInResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;color:#1d2433}' +
  'button{display:block;width:100%;margin:.6rem 0;padding:.7rem;font:inherit;border-radius:6px;' +
  'border:1px solid #1f5fd1;background:#1f5fd1;color:#fff;cursor:pointer}' +
  'button:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}p{color:#4f5b6d}';
const STYLE_HASH = createHash('sha256').update(STYLE).digest('base64');

export class LocalSignIn {
  private readonly codes = new Map<string, IssuedCode>();

  constructor(
    private readonly issuer: LocalIssuer,
    private readonly directory: AccountDirectory,
  ) {}

  /** GET /local/authorize */
  async page(query: URLSearchParams): Promise<SignInResponse> {
    const request = parseAuthorizationRequest(query);
    if (typeof request === 'string') return plainError(400, request);
    const members = await this.members();
    const hidden = (name: string, value: string) =>
      `<input type="hidden" name="${name}" value="${escapeHtml(value)}">`;
    const fields = [
      hidden('client_id', request.clientId),
      hidden('redirect_uri', request.redirectUri),
      hidden('state', request.state),
      hidden('code_challenge', request.codeChallenge),
      hidden('code_challenge_method', 'S256'),
      hidden('scope', request.scope),
    ].join('');
    const buttons = members
      .map(
        (m) =>
          `<button type="submit" name="user" value="${escapeHtml(m.userId)}">Sign in as ${escapeHtml(m.label)}</button>`,
      )
      .join('\n');
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Latchkey local</title><style>${STYLE}</style></head>
<body><main><h1>Sign in to Latchkey</h1>
<p>Local mode: pick a member of a local account. There is no password on this machine.</p>
${members.length === 0 ? '<p>No local account has a member yet: add one with <code>npm run admin -- add-member --local</code>.</p>' : ''}
<form method="post" action="/local/authorize">${fields}
${buttons}
</form></main></body></html>`;
    return {
      statusCode: 200,
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'cache-control': 'no-store',
        'content-security-policy': `default-src 'none'; style-src 'sha256-${STYLE_HASH}'; form-action 'self' ${request.redirectOrigin}; frame-ancestors 'none'; base-uri 'none'`,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
      },
      body: html,
    };
  }

  /** POST /local/authorize: the member's button. */
  async authorize(form: URLSearchParams): Promise<SignInResponse> {
    const request = parseAuthorizationRequest(new URLSearchParams([...form, ['response_type', 'code']]));
    if (typeof request === 'string') return plainError(400, request);
    const member = (await this.members()).find((m) => m.userId === form.get('user'));
    if (member === undefined) return plainError(400, 'Pick one of the members on the sign-in page.');
    this.dropExpired();
    const code = randomBytes(32).toString('base64url');
    this.codes.set(code, { ...request, member, expiresAt: Date.now() + CODE_TTL_MS });
    const target = new URL(request.redirectUri);
    target.searchParams.set('code', code);
    target.searchParams.set('state', request.state);
    target.searchParams.set('iss', this.issuer.issuer);
    return { statusCode: 303, headers: { location: target.href, 'cache-control': 'no-store' }, body: '' };
  }

  /** POST /local/token */
  async token(form: URLSearchParams): Promise<SignInResponse> {
    if (form.get('grant_type') !== 'authorization_code') {
      return oauthError('unsupported_grant_type', 'Only authorization_code is supported');
    }
    const code = form.get('code') ?? '';
    const issued = this.codes.get(code);
    // One use, whatever happens next.
    this.codes.delete(code);
    if (issued === undefined || issued.expiresAt < Date.now()) {
      return oauthError('invalid_grant', 'The code is unknown, used or expired');
    }
    if (form.get('client_id') !== issued.clientId || form.get('redirect_uri') !== issued.redirectUri) {
      return oauthError('invalid_grant', 'The code was issued to another client or redirect URI');
    }
    const verifier = form.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier) || challenge !== issued.codeChallenge) {
      return oauthError('invalid_grant', 'The PKCE code verifier does not match the challenge');
    }
    const accessToken = await this.issuer.issue(issued.member.userId, {
      scope: issued.scope,
      client_id: issued.clientId,
    });
    const idToken = await this.issuer.issue(issued.member.userId, { email: issued.member.email });
    return json(200, {
      access_token: accessToken,
      id_token: idToken,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: issued.scope,
    });
  }

  private async members(): Promise<SignInMember[]> {
    const accounts = await this.directory.listAccounts();
    const lists = await Promise.all(
      accounts.map(async (account) =>
        (await this.directory.listMembers(account.accountId)).map((member) => ({
          userId: member.userId,
          email: account.email,
          label: member.role === 'owner' ? account.email : `${member.userId} (${account.email})`,
        })),
      ),
    );
    return lists.flat().sort((a, b) => a.label.localeCompare(b.label));
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [code, issued] of this.codes) if (issued.expiresAt < now) this.codes.delete(code);
  }
}

function parseAuthorizationRequest(
  query: URLSearchParams,
): (AuthorizationRequest & { redirectOrigin: string }) | string {
  if (query.get('response_type') !== 'code') return 'response_type must be code';
  const clientId = query.get('client_id');
  if (clientId !== LOCAL_CLIENT_ID) return `client_id must be ${LOCAL_CLIENT_ID}`;
  let redirect: URL;
  try {
    redirect = new URL(query.get('redirect_uri') ?? '');
  } catch {
    return 'redirect_uri must be a URL';
  }
  // RFC 8252: a loopback redirect on any port; nothing that leaves this machine.
  if (redirect.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(redirect.hostname)) {
    return 'redirect_uri must be an http URL on this machine (127.0.0.1, localhost or [::1])';
  }
  const state = query.get('state') ?? '';
  if (state === '' || state.length > 512) return 'state is required';
  const codeChallenge = query.get('code_challenge') ?? '';
  if (query.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(codeChallenge)) {
    return 'PKCE is required: code_challenge with code_challenge_method S256';
  }
  const scope = query.get('scope') ?? SCOPES;
  return {
    clientId,
    redirectUri: query.get('redirect_uri') ?? '',
    state,
    codeChallenge,
    scope,
    redirectOrigin: redirect.origin,
  };
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function plainError(statusCode: number, message: string): SignInResponse {
  return {
    statusCode,
    headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
    body: `Sign-in request refused: ${message}\n`,
  };
}

function json(statusCode: number, body: unknown): SignInResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store', pragma: 'no-cache' },
    body: JSON.stringify(body),
  };
}

function oauthError(error: string, description: string): SignInResponse {
  return json(400, { error, error_description: description });
}
