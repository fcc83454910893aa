import { type KeyStatus, keyStatus } from './key-policies';
import type { TokenDigest } from './pepper';
import type { PermissionGrant } from './permissions';

export const NAME_MAX = 100;
export const DESCRIPTION_MAX = 500;

/** What the table holds for a key. Never the token: only its HMAC digest and the pepper version. */
export interface ApiKeyRecord extends TokenDigest {
  readonly keyId: string;
  readonly accountId: string;
  readonly name: string;
  readonly description: string;
  /** `"stores"` grants read and write, `"stores:read"` read only. */
  readonly permissions: readonly PermissionGrant[];
  /**
   * The account's site ids, copied onto the key so the authorizer can check a site with the one read
   * it already makes. Kept in step by the account store whenever an account's sites change.
   */
  readonly siteIds: readonly string[];
  /**
   * The sites the key is limited to (the public `siteIds`); absent means every site of the account,
   * including sites added later, as the guide's keys do.
   */
  readonly allowedSiteIds?: readonly string[] | undefined;
  /**
   * ISO-8601 UTC; absent means never. A string, never epoch seconds: the table's TTL acts only on
   * numbers, and an expired key must stay listed until someone deletes it.
   */
  readonly expiresAt?: string | undefined;
  /** Canonical CIDRs the caller's source address must fall in; absent or empty means any address. */
  readonly allowedIps?: readonly string[] | undefined;
  /** The token a rotation with a grace period replaced, still accepted until `validUntil`. */
  readonly previousToken?: PreviousToken | undefined;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly createdBy: string;
  readonly updatedBy: string;
  /** Optimistic-concurrency version: every write names the version it read. */
  readonly version: number;
  readonly lastUsedAt?: string | undefined;
}

export interface PreviousToken extends TokenDigest {
  /** ISO-8601 UTC: the end of the grace period, never later than the key's `expiresAt`. */
  readonly validUntil: string;
}

/** The shape every API response uses for a key. */
export interface PublicApiKey {
  readonly keyId: string;
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionGrant[];
  /** `null`: every site of the account, including sites added later. */
  readonly siteIds: readonly string[] | null;
  /** `null`: never expires. */
  readonly expiresAt: string | null;
  readonly status: KeyStatus;
  /** Empty: any address. */
  readonly allowedIps: readonly string[];
  /** When the token replaced by the last rotation stops working; `null` when it already has. */
  readonly graceEndsAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastUsedAt: string | null;
}

/** `now` decides `status`; responses use the time they are made. */
export function toPublicApiKey(record: ApiKeyRecord, now: Date = new Date()): PublicApiKey {
  const previousUntil = record.previousToken?.validUntil;
  return {
    keyId: record.keyId,
    name: record.name,
    description: record.description,
    permissions: record.permissions,
    siteIds: record.allowedSiteIds ?? null,
    expiresAt: record.expiresAt ?? null,
    status: keyStatus(record, now),
    allowedIps: record.allowedIps ?? [],
    graceEndsAt:
      previousUntil !== undefined && Date.parse(previousUntil) > now.getTime() ? previousUntil : null,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
    lastUsedAt: record.lastUsedAt ?? null,
  };
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextCursor?: string | undefined;
}

/**
 * A page as a store reads it: `resumeAfter` is the id of the last item read when more may follow.
 * The domain turns it into a signed cursor; a store never sees or makes one.
 */
export interface StoredPage<T> {
  readonly items: readonly T[];
  readonly resumeAfter?: string | undefined;
}

/** Where a store's list starts: after the item a verified cursor named, or at the top. */
export interface PageRequest {
  readonly limit: number;
  readonly after?: string | undefined;
}
