import * as z from 'zod/mini';
import '../domain/zod-messages';
import { ForbiddenError, UnauthorizedError } from '../domain/errors';
import { type Access, accessTo, type PermissionId } from '../domain/permissions';
import type { HttpEvent } from './event';

/**
 * What the Latchkey authorizer verified, as a protected route reads it from
 * `requestContext.authorizer.lambda`. API Gateway only calls the route after an allow, so a missing
 * or malformed context means the route was deployed without the authorizer: refuse, never guess.
 */
const contextSchema = z.object({
  accountId: z.string().check(z.minLength(1)),
  keyId: z.string().check(z.minLength(1)),
  permissions: z.string(),
  siteId: z.string(),
  access: z.enum(['read', 'write', '']),
  expiresAt: z.string(),
});

export interface ApiKeyCaller {
  readonly accountId: string;
  readonly keyId: string;
  readonly permissions: readonly string[];
  /** The site the authorizer checked against the key's account; undefined when none was sent. */
  readonly siteId: string | undefined;
  /** The key's access to the route's permission, as the authorizer found it. */
  readonly access: Access | undefined;
  /** ISO-8601 UTC, or undefined for a key that never expires. */
  readonly expiresAt: string | undefined;
}

export function apiKeyCaller(event: HttpEvent): ApiKeyCaller {
  const parsed = contextSchema.safeParse(event.requestContext.authorizer?.lambda);
  if (!parsed.success) throw new UnauthorizedError('Send an API key: Authorization and x-account-id headers');
  const { accountId, keyId, permissions, siteId, access, expiresAt } = parsed.data;
  return {
    accountId,
    keyId,
    permissions: permissions === '' ? [] : permissions.split(','),
    siteId: siteId === '' ? undefined : siteId,
    access: access === '' ? undefined : access,
    expiresAt: expiresAt === '' ? undefined : expiresAt,
  };
}

/**
 * Defence in depth: the authorizer already checked, but a route must not trust its own wiring.
 * `needed` is what the route does with the data: a read-only grant satisfies only `read`.
 */
export function requirePermission(caller: ApiKeyCaller, permission: PermissionId, needed: Access): void {
  const held = accessTo(caller.permissions, permission);
  if (held === undefined) {
    throw new ForbiddenError(`This API key lacks the ${permission} permission`, 'missing_permission');
  }
  if (held === 'read' && needed === 'write') {
    throw new ForbiddenError(`This API key may only read ${permission} data`, 'read_only_key');
  }
}

/** Site-level routes: the site the authorizer verified, or 403 naming the missing header. */
export function requireSite(caller: ApiKeyCaller): string {
  if (caller.siteId === undefined) {
    throw new ForbiddenError('Send the x-site-id header naming one of your sites', 'missing_site');
  }
  return caller.siteId;
}
