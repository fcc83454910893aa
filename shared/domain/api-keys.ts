import type { TokenDigest } from './pepper';
import type { PermissionId } from './permissions';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 500;

/** What the table holds for a key. Never the token: only its HMAC digest and the pepper version. */
export interface ApiKeyRecord extends TokenDigest {
  readonly keyId: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionId[];
  /**
   * The account's site ids, copied onto the key so the authorizer can check a site with the one read
   * it already makes. Kept in step by the account store whenever an account's sites change.
   */
  readonly siteIds: readonly string[];
  /**
   * ISO-8601 UTC; absent means never. A string, never epoch seconds: the table's TTL acts only on
   * numbers, and an expired key must stay listed until someone deletes it.
   */
  readonly expiresAt?: string | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
  /** Optimistic-concurrency version: every write names the version it read. */
  readonly version: number;
  readonly lastUsedAt?: string | undefined;
}

/** The shape every API response uses for a key. */
export interface PublicApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionId[];
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastUsedAt: string | null;
}

export function toPublicApiKey(record: ApiKeyRecord): PublicApiKey {
  return {
    keyId: record.keyId,
    name: record.name,
    description: record.description,
    permissions: record.permissions,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastUsedAt: record.lastUsedAt ?? null,
  };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | undefined;
}
