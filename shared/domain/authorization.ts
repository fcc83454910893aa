import type { ApiKeyRecord } from './api-keys';
import { ipInRanges, toIpRanges } from './ip-ranges';
import { isExpired, previousTokenLive } from './key-policies';
import type { TokenDigest } from './pepper';
import { type Access, accessTo } from './permission-grants';
import { type Clock, type KeyStore, systemClock } from './ports';
import { type ProtectedRoute, routeAccess } from './protected-routes';
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
  | 'site_needs_request_authorizer'
  | 'key_expired'
  | 'ip_not_allowed'
  | 'site_not_allowed'
  | 'read_only_key';

export interface AuthorizationRequest {
  /** The Authorization header (or REST TOKEN `authorizationToken`). */
  readonly authorization: string | undefined;
  /** The `x-account-id` header; `undefined` where the event cannot carry it (REST TOKEN). */
  readonly accountId: string | undefined;
  /** False for REST TOKEN authorizers, which see only the token: the account then comes from the key. */
  readonly headersVisible: boolean;
  readonly siteId: string | undefined;
  readonly route: ProtectedRoute | undefined;
  /** The caller's address as API Gateway saw it; undefined where the event lacks it (REST TOKEN). */
  readonly sourceIp: string | undefined;
}

export type AuthorizationDecision =
  | {
      readonly allowed: true;
      readonly reason: 'allowed';
      readonly key: ApiKeyRecord;
      readonly keyId: string;
      readonly route: ProtectedRoute;
      /** A site the key may reach, named by the request, or undefined. */
      readonly siteId: string | undefined;
      /** The key's access to the route's permission. */
      readonly access: Access;
      /** The token matched the one a rotation replaced, during its grace period. */
      readonly previousToken: boolean;
    }
  | {
      readonly allowed: false;
      readonly reason: DenyReason;
      /**
       * Set once the token verified, the account matched and the key as a whole may be used (not
       * expired, caller's address allowed): REST policies are built from it.
       */
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
  readonly clock?: Clock | undefined;
}

/**
 * The decision, failing closed: a malformed token is refused before any I/O; otherwise exactly one
 * strongly consistent read, a constant-time digest comparison (a second one, against the token a
 * rotation replaced, only while its grace period lasts), then the account, expiry, address, route,
 * permission, access and site checks, all on that one item. A DynamoDB or KMS failure propagates:
 * the caller must never turn it into an allow.
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
  const now = (deps.clock ?? systemClock).now();
  const current = await deps.tokens.verifyToken(parsed.token, record);
  const previous =
    !current &&
    record.previousToken !== undefined &&
    previousTokenLive(record, now) &&
    (await deps.tokens.verifyToken(parsed.token, record.previousToken));
  if (!current && !previous) {
    return { allowed: false, reason: 'token_mismatch', keyId: parsed.keyId };
  }
  if (request.headersVisible && record.accountId !== request.accountId) {
    return { allowed: false, reason: 'account_mismatch', keyId: parsed.keyId };
  }
  // Refusals of the key as a whole carry no key, so a REST policy denies the whole stage.
  if (isExpired(record, now)) return { allowed: false, reason: 'key_expired', keyId: record.keyId };
  if (!addressAllowed(record, request.sourceIp)) {
    return { allowed: false, reason: 'ip_not_allowed', keyId: record.keyId };
  }

  const siteId =
    request.headersVisible && request.siteId !== undefined && siteAllowed(record, request.siteId)
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
  const access = accessTo(record.permissions, route.permission);
  if (access === undefined) return refuse('missing_permission');
  if (access === 'read' && routeAccess(route) === 'write') return refuse('read_only_key');
  if (route.scope === 'site') {
    if (!request.headersVisible) return refuse('site_needs_request_authorizer');
    if (request.siteId === undefined || request.siteId === '') return refuse('missing_site');
    if (!record.siteIds.includes(request.siteId)) return refuse('foreign_site');
    if (siteId === undefined) return refuse('site_not_allowed');
  }
  return {
    allowed: true,
    reason: 'allowed',
    key: record,
    keyId: record.keyId,
    route,
    siteId,
    access,
    previousToken: previous,
  };
}

/** A site of the key's account that the key is not limited away from. */
function siteAllowed(key: ApiKeyRecord, siteId: string): boolean {
  return (
    key.siteIds.includes(siteId) && (key.allowedSiteIds === undefined || key.allowedSiteIds.includes(siteId))
  );
}

/** No list means any address; with one, an event that carries no address is refused. */
function addressAllowed(key: ApiKeyRecord, sourceIp: string | undefined): boolean {
  if (key.allowedIps === undefined || key.allowedIps.length === 0) return true;
  return sourceIp !== undefined && ipInRanges(sourceIp, toIpRanges(key.allowedIps));
}

/** The authorizer context the backend reads; REST contexts carry only primitives, so all strings. */
export interface ApiKeyContext {
  readonly accountId: string;
  readonly keyId: string;
  /** Comma-separated grants: `stores` (read and write) or `stores:read` (read only). */
  readonly permissions: string;
  /** The verified site id, or empty. */
  readonly siteId: string;
  /** The key's access to the route's permission: `read`, `write` (read and write), or empty. */
  readonly access: string;
  /** When the key expires (ISO-8601 UTC), or empty for never. */
  readonly expiresAt: string;
}

export function apiKeyContextOf(
  key: ApiKeyRecord,
  siteId: string | undefined,
  access: Access | undefined,
): ApiKeyContext {
  return {
    accountId: key.accountId,
    keyId: key.keyId,
    permissions: key.permissions.join(','),
    siteId: siteId ?? '',
    access: access ?? '',
    expiresAt: key.expiresAt ?? '',
  };
}

/** lastUsedAt is written at most once per key per interval, so a busy key costs no extra writes. */
export const LAST_USED_INTERVAL_MS = 5 * 60 * 1000;

/** The `staleBefore` bound for KeyStore.recordUse, or undefined when the stored value is fresh enough. */
export function lastUsedStaleBefore(key: ApiKeyRecord, now: Date): string | undefined {
  const staleBefore = now.getTime() - LAST_USED_INTERVAL_MS;
  // Compared as numbers, so the usual case (fresh) formats no date; an unreadable value is stale.
  const fresh = key.lastUsedAt !== undefined && Date.parse(key.lastUsedAt) >= staleBefore;
  return fresh ? undefined : new Date(staleBefore).toISOString();
}
