import { ValidationError } from './errors';

export type PermissionScope = 'account' | 'site';

export interface Permission {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** `account`: the permission acts on account-level data; `site`: a caller names one site per call. */
  readonly scope: PermissionScope;
  /** Always granted and cannot be removed from a key. */
  readonly required: boolean;
}

/**
 * The permission catalog. Adding a permission is one line here; routes then reference its id.
 * Most permissions grant read and write access to the data they name.
 */
export const PERMISSIONS = [
  {
    id: 'sites.list',
    name: 'List sites',
    description: 'Return the IDs of all sites in the account.',
    scope: 'account',
    required: true,
  },
  {
    id: 'stores',
    name: 'Stores',
    description: 'Read and write store data: products, orders and currencies.',
    scope: 'site',
    required: false,
  },
  {
    id: 'bookings',
    name: 'Bookings',
    description: 'Read and write bookings and services.',
    scope: 'site',
    required: false,
  },
  {
    id: 'events',
    name: 'Events',
    description: 'Read and write events and tickets.',
    scope: 'site',
    required: false,
  },
  {
    id: 'contacts',
    name: 'Contacts',
    description: 'Read and write contacts.',
    scope: 'site',
    required: false,
  },
  {
    id: 'accounts.manage',
    name: 'Manage accounts',
    description: 'Read and update account-level data, including creating new accounts.',
    scope: 'account',
    required: false,
  },
] as const satisfies readonly Permission[];

export type PermissionId = (typeof PERMISSIONS)[number]['id'];

const byId: ReadonlyMap<string, Permission> = new Map(PERMISSIONS.map((p) => [p.id, p]));

export function isPermissionId(id: string): id is PermissionId {
  return byId.has(id);
}

export const REQUIRED_PERMISSIONS: readonly PermissionId[] = PERMISSIONS.filter((p) => p.required).map(
  (p) => p.id,
);

/**
 * Required permissions added, duplicates removed, catalog order kept, so two requests that mean the
 * same grant normalise to the same list. Unknown ids are rejected, all of them named at once.
 */
export function normalisePermissions(requested: readonly string[]): PermissionId[] {
  const unknown = [...new Set(requested.filter((id) => !byId.has(id)))];
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unknown permission${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')}`,
      {
        unknownPermissions: unknown,
      },
      'unknown_permission',
    );
  }
  const wanted = new Set<string>([...REQUIRED_PERMISSIONS, ...requested]);
  return PERMISSIONS.filter((p) => wanted.has(p.id)).map((p) => p.id);
}
