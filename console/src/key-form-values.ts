import type { ApiKey, CreateRequest, Permission } from './api';

/** Generate, Duplicate and Edit share this form: Key details, Permissions, then Limits. */
export type KeyFormMode = 'create' | 'duplicate' | 'edit';

/** `keep` leaves an existing key's expiry as it is (offered only when it has one). */
export const EXPIRY_CHOICES = ['never', '7', '30', '90', 'date', 'keep'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

export interface KeyFormValues {
  readonly name: string;
  readonly description: string;
  /** Permission ids, checked. */
  readonly permissions: readonly string[];
  /** Of those, the ones held read-only. */
  readonly readOnly: readonly string[];
  readonly expiry: ExpiryChoice;
  /** `YYYY-MM-DD` when `expiry` is `date`: the key expires at the start of that day, UTC. */
  readonly expiryDate: string;
  readonly allSites: boolean;
  readonly siteIds: readonly string[];
  /** One address or CIDR range per line. */
  readonly allowedIps: string;
}

/** The key's limits as the request states them; `expiresAt` left out keeps the current expiry. */
export interface KeyLimits {
  readonly expiresAt?: string | null;
  readonly siteIds: readonly string[] | null;
  readonly allowedIps: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The grants the form's checkboxes mean, in catalog order: `stores` or `stores:read`. */
export function grantsOf(values: KeyFormValues, catalog: readonly Permission[]): string[] {
  return catalog
    .filter((p) => p.required || values.permissions.includes(p.id))
    .map((p) => (p.offersReadOnly && values.readOnly.includes(p.id) ? `${p.id}:read` : p.id));
}

export function limitsOf(values: KeyFormValues, now: Date): KeyLimits {
  const expiresAt =
    values.expiry === 'keep'
      ? undefined
      : values.expiry === 'never'
        ? null
        : values.expiry === 'date'
          ? new Date(`${values.expiryDate}T00:00:00Z`).toISOString()
          : new Date(now.getTime() + Number(values.expiry) * DAY_MS).toISOString();
  return {
    ...(expiresAt === undefined ? {} : { expiresAt }),
    siteIds: values.allSites ? null : values.siteIds,
    allowedIps: values.allowedIps
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
}

export function initialValues(
  mode: KeyFormMode,
  catalog: readonly Permission[],
  key?: ApiKey,
): KeyFormValues {
  const required = catalog.filter((p) => p.required).map((p) => p.id);
  const defaults = {
    readOnly: [],
    expiry: 'never',
    expiryDate: '',
    allSites: true,
    siteIds: [],
    allowedIps: '',
  } as const;
  if (key === undefined) return { name: '', description: '', permissions: required, ...defaults };
  const ids = key.permissions.map((grant) => grant.replace(/:read$/, ''));
  return {
    ...defaults,
    name: mode === 'duplicate' ? `Copy of ${key.name}` : key.name,
    description: key.description,
    permissions: [...new Set([...required, ...ids])],
    readOnly: key.permissions.filter((grant) => grant.endsWith(':read')).map((grant) => grant.slice(0, -5)),
    expiry: key.expiresAt === null ? 'never' : 'keep',
    allSites: key.siteIds === null,
    siteIds: key.siteIds ?? [],
    allowedIps: key.allowedIps.join('\n'),
  };
}

/** The request body the form's values stand for: the same for Generate, Duplicate and Edit. */
export function keyRequestOf(
  values: KeyFormValues,
  catalog: readonly Permission[],
  now: Date,
): CreateRequest {
  const limits = limitsOf(values, now);
  return {
    name: values.name,
    description: values.description,
    permissions: grantsOf(values, catalog),
    ...limits,
    siteIds: limits.siteIds === null ? null : [...limits.siteIds],
    allowedIps: [...limits.allowedIps],
  };
}
