import type { ApiKeyRecord } from '../domain/api-keys';

/** What rotate and edit may change. */
export const CHANGEABLE_FIELDS = [
  'name',
  'description',
  'permissions',
  'siteIds',
  'allowedSiteIds',
  'expiresAt',
  'allowedIps',
  'tokenHash',
  'previousToken',
  'pepperVersion',
  'updatedAt',
  'updatedBy',
  'version',
] as const satisfies readonly (keyof ApiKeyRecord)[];

/** Identity, ownership and creation never change; `lastUsedAt` is the authorizer's alone to write. */
export const FIXED_FIELDS = [
  'keyId',
  'accountId',
  'createdAt',
  'createdBy',
  'lastUsedAt',
] as const satisfies readonly (keyof ApiKeyRecord)[];

/** Every field of the key item, as both key adapters (document and raw) read it. */
export const RECORD_FIELDS = [...FIXED_FIELDS, ...CHANGEABLE_FIELDS];

/**
 * What the account index (gsi1) carries of a key item: everything but `lastUsedAt`. The authorizer's
 * lastUsedAt write then touches no index entry and costs one write unit, not two; a list fills
 * lastUsedAt in from the items themselves.
 */
export const INDEXED_KEY_FIELDS = /* @__PURE__ */ RECORD_FIELDS.filter((field) => field !== 'lastUsedAt');

export function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return Object.fromEntries(
    RECORD_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as ApiKeyRecord;
}
