/**
 * What a key's grants say, apart from the catalog that describes each permission (permissions.ts):
 * the authorizer checks grants on every request and needs the ids, never the names and
 * descriptions the console and `GET /v1/permissions` show.
 */

/** Every permission id, in catalog order; permissions.ts describes each (a test holds the two together). */
export const PERMISSION_IDS = [
  'sites.list',
  'stores',
  'bookings',
  'events',
  'contacts',
  'accounts.manage',
] as const;

export type PermissionId = (typeof PERMISSION_IDS)[number];

export function isPermissionId(id: string): id is PermissionId {
  return (PERMISSION_IDS as readonly string[]).includes(id);
}

/** `account`: a permission acts on account-level data; `site`: a caller names one site per call. */
export type PermissionScope = 'account' | 'site';

/** What a key may do with a permission's data: read it, or read and write it. */
export type Access = 'read' | 'write';

/** A permission as a key holds it: `"stores"` (read and write) or `"stores:read"` (read only). */
export type PermissionGrant = PermissionId | `${PermissionId}:read`;

export const READ_SUFFIX = ':read';

/** The access a key's grants give to one permission, or undefined when they do not include it. */
export function accessTo(grants: readonly string[], permission: PermissionId): Access | undefined {
  if (grants.includes(permission)) return 'write';
  if (grants.includes(`${permission}${READ_SUFFIX}`)) return 'read';
  return undefined;
}
