import { ValidationError } from './errors';
import {
  type Access,
  type PermissionGrant,
  type PermissionId,
  type PermissionScope,
  READ_SUFFIX,
} from './permission-grants';

export {
  type Access,
  accessTo,
  isPermissionId,
  type PermissionGrant,
  type PermissionId,
  type PermissionScope,
} from './permission-grants';

export interface Permission {
  readonly id: PermissionId;
  readonly name: string;
  readonly description: string;
  /** `account`: the permission acts on account-level data; `site`: a caller names one site per call. */
  readonly scope: PermissionScope;
  /** Always granted and cannot be removed from a key. */
  readonly required: boolean;
  /** Whether a key may hold this permission read-only (`"<id>:read"`): its routes both read and write. */
  readonly offersReadOnly: boolean;
}

/**
 * The permission catalog. Adding a permission is its id in permission-grants.ts and its entry here;
 * routes then reference the id.
 * A permission id alone grants read and write access to the data it names; `<id>:read` grants
 * read only, where the permission offers it (`sites.list` only ever reads, so it does not).
 */
export const PERMISSIONS = [
  {
    id: 'sites.list',
    name: 'List sites',
    description: 'Return the IDs of all sites in the account.',
    scope: 'account',
    required: true,
    offersReadOnly: false,
  },
  {
    id: 'stores',
    name: 'Stores',
    description: 'Read and write store data: products, orders and currencies.',
    scope: 'site',
    required: false,
    offersReadOnly: true,
  },
  {
    id: 'bookings',
    name: 'Bookings',
    description: 'Read and write bookings and services.',
    scope: 'site',
    required: false,
    offersReadOnly: true,
  },
  {
    id: 'events',
    name: 'Events',
    description: 'Read and write events and tickets.',
    scope: 'site',
    required: false,
    offersReadOnly: true,
  },
  {
    id: 'contacts',
    name: 'Contacts',
    description: 'Read and write contacts.',
    scope: 'site',
    required: false,
    offersReadOnly: true,
  },
  {
    id: 'accounts.manage',
    name: 'Manage accounts',
    description: 'Read and update account-level data, including creating new accounts.',
    scope: 'account',
    required: false,
    offersReadOnly: true,
  },
] as const satisfies readonly Permission[];

const byId: ReadonlyMap<string, Permission> = new Map(PERMISSIONS.map((p) => [p.id, p]));

export const REQUIRED_PERMISSIONS: readonly PermissionId[] = PERMISSIONS.filter((p) => p.required).map(
  (p) => p.id,
);

/**
 * Required permissions added, duplicates removed, catalog order kept, so two requests that mean the
 * same grant normalise to the same list. A permission asked for both read-only and in full is held
 * in full. Unknown ids and unknown access levels are rejected, all of them named at once.
 */
export function normalisePermissions(requested: readonly string[]): PermissionGrant[] {
  const wanted = new Map<string, Access>(REQUIRED_PERMISSIONS.map((id) => [id, 'write']));
  const unknown: string[] = [];
  const noReadOnly: string[] = [];
  for (const grant of new Set(requested)) {
    const separator = grant.indexOf(':');
    const id = separator === -1 ? grant : grant.slice(0, separator);
    const access = separator === -1 ? 'write' : grant.slice(separator) === READ_SUFFIX ? 'read' : undefined;
    const permission = byId.get(id);
    if (permission === undefined || access === undefined) unknown.push(grant);
    else if (access === 'read' && !permission.offersReadOnly) noReadOnly.push(grant);
    else if (wanted.get(id) !== 'write') wanted.set(id, access);
  }
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (use a permission id, optionally followed by ${READ_SUFFIX})`,
      { field: 'permissions', unknownPermissions: unknown },
      'unknown_permission',
    );
  }
  if (noReadOnly.length > 0) {
    throw new ValidationError(
      `No read-only grant for ${noReadOnly.join(', ')}: GET /v1/permissions lists which permissions offer one`,
      { field: 'permissions', unknownPermissions: noReadOnly },
      'unknown_permission',
    );
  }
  return PERMISSIONS.flatMap((p): PermissionGrant[] => {
    const access = wanted.get(p.id);
    if (access === undefined) return [];
    return [access === 'write' ? p.id : `${p.id}${READ_SUFFIX}`];
  });
}
