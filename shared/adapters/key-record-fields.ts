import type { ApiKeyRecord } from '../domain/api-keys';

/**
 * A key item's attributes, listed once: the key store writes them and both the store and the
 * authorizer's reader read them back. Kept apart from the store so the authorizer's bundle holds
 * only this list, not the store's writes.
 */
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
const FIXED_FIELDS = [
  'keyId',
  'accountId',
  'createdAt',
  'createdBy',
  'lastUsedAt',
] as const satisfies readonly (keyof ApiKeyRecord)[];

export const RECORD_FIELDS = [...FIXED_FIELDS, ...CHANGEABLE_FIELDS];

export function toRecord(item: Record<string, unknown>): ApiKeyRecord {
  return Object.fromEntries(
    RECORD_FIELDS.filter((field) => item[field] !== undefined).map((field) => [field, item[field]]),
  ) as unknown as ApiKeyRecord;
}
