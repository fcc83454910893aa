import type { ApiKeyRecord } from './api-keys';
import type { TokenDigest } from './pepper';
import type { KeyStore } from './ports';
import type { ProtectedRoute } from './protected-routes';
import { parseToken } from './token';

/**
 * The Lambda authorizer's decision, free of AWS and of API Gateway's event shapes: whether a
 * verified key may call the route a request is for. The handler in functions/authorizer finds the
 * route (shared/route-matcher.ts) and translates events and results (rest-policy.ts for REST).
 */

/** `Authorization: <token>` or `Authorization: Bearer <token>`; anything else yields the raw value. */
export function tokenFromAuthorization(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const bearer = /^bearer\s+/i.exec(trimmed);
  return bearer === null ? trimmed : trimmed.slice(bearer[0].length);
}

export type DenyReason =
  | 'missing_token'
  | 'malformed_token'
  | 'missing_account_header'
  | 'unknown_key'
  | 'token_mismatch'
  | 'account_mismatch'
  | 'unknown_route'
  | 'missing_permission'
  | 'missing_site'
  | 'foreign_site'
  | 'site_needs_request_authorizer';

export interface AuthorizationRequest {
  /** The Authorization header (or REST TOKEN `authorizationToken`). */
  readonly authorization: string | undefined;
  /** The `x-account-id` header; `undefined` where the event cannot carry it (REST TOKEN). */
  readonly accountId: string | undefined;
  /** False for REST TOKEN authorizers, which see only the token: the account then comes from the key. */
  readonly headersVisible: boolean;
  readonly siteId: string | undefined;
  readonly route: ProtectedRoute | undefined;
}

export type AuthorizationDecision =
  | {
      readonly allowed: true;
      readonly reason: 'allowed';
      readonly key: ApiKeyRecord;
      readonly keyId: string;
      readonly route: ProtectedRoute;
      /** A site of the key's account named by the request, or undefined. */
      readonly siteId: string | undefined;
    }
  | {
      readonly allowed: false;
      readonly reason: DenyReason;
      /** Set once the token verified and the account matched: REST policies are built from it. */
      readonly key?: ApiKeyRecord | undefined;
      readonly siteId?: string | undefined;
      /** The key id the token names, set only after the read (never from a malformed token). */
      readonly keyId?: string | undefined;
    };

export interface TokenVerifier {
  verifyToken(token: string, stored: TokenDigest): Promise<boolean>;
}

export interface AuthorizerDependencies {
  readonly keys: Pick<KeyStore, 'get'>;
  readonly tokens: TokenVerifier;
}

/**
 * The decision, failing closed: a malformed token is refused before any I/O; otherwise exactly one
 * strongly consistent read, a constant-time digest comparison, then the account, route, permission
 * and site checks. A DynamoDB or KMS failure propagates: the caller must never turn it into an allow.
 */
export async function authorizeRequest(
  deps: AuthorizerDependencies,
  request: AuthorizationRequest,
): Promise<AuthorizationDecision> {
  const token = tokenFromAuthorization(request.authorization);
  if (token === undefined || token === '') return { allowed: false, reason: 'missing_token' };
  const parsed = parseToken(token);
  if (parsed === undefined) return { allowed: false, reason: 'malformed_token' };
  if (request.headersVisible && (request.accountId === undefined || request.accountId === '')) {
    return { allowed: false, reason: 'missing_account_header' };
  }

  const record = await deps.keys.get(parsed.keyId);
  if (record === undefined) return { allowed: false, reason: 'unknown_key', keyId: parsed.keyId };
  if (!(await deps.tokens.verifyToken(parsed.token, record))) {
    return { allowed: false, reason: 'token_mismatch', keyId: parsed.keyId };
  }
  if (request.headersVisible && record.accountId !== request.accountId) {
    return { allowed: false, reason: 'account_mismatch', keyId: parsed.keyId };
  }

  const siteId =
    request.headersVisible && request.siteId !== undefined && record.siteIds.includes(request.siteId)
      ? request.siteId
      : undefined;
  const refuse = (reason: DenyReason): AuthorizationDecision => ({
    allowed: false,
    reason,
    key: record,
    siteId,
    keyId: record.keyId,
  });
  const route = request.route;
  if (route === undefined) return refuse('unknown_route');
  if (!record.permissions.includes(route.permission)) return refuse('missing_permission');
  if (route.scope === 'site') {
    if (!request.headersVisible) return refuse('site_needs_request_authorizer');
    if (request.siteId === undefined || request.siteId === '') return refuse('missing_site');
    if (siteId === undefined) return refuse('foreign_site');
  }
  return { allowed: true, reason: 'allowed', key: record, keyId: record.keyId, route, siteId };
}

/** The authorizer context the backend reads; REST contexts carry only primitives, so all strings. */
export interface ApiKeyContext {
  readonly accountId: string;
  readonly keyId: string;
  /** Comma-separated permission ids. */
  readonly permissions: string;
  /** The verified site id, or empty. */
  readonly siteId: string;
}

export function apiKeyContextOf(key: ApiKeyRecord, siteId: string | undefined): ApiKeyContext {
  return {
    accountId: key.accountId,
    keyId: key.keyId,
    permissions: key.permissions.join(','),
    siteId: siteId ?? '',
  };
}

/** lastUsedAt is written at most once per key per interval, so a busy key costs no extra writes. */
export const LAST_USED_INTERVAL_MS = 5 * 60 * 1000;

/** The `staleBefore` bound for KeyStore.recordUse, or undefined when the stored value is fresh enough. */
export function lastUsedStaleBefore(key: ApiKeyRecord, now: Date): string | undefined {
  const staleBefore = new Date(now.getTime() - LAST_USED_INTERVAL_MS).toISOString();
  return key.lastUsedAt === undefined || key.lastUsedAt < staleBefore ? staleBefore : undefined;
}
