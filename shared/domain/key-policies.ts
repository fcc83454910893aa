import type { Account } from './accounts';
import type { ApiKeyRecord } from './api-keys';
import { ValidationError } from './errors';

/**
 * The limits a key may carry beyond the guide's: an expiry, chosen sites, an IP allowlist and a
 * rotation grace period. Each defaults to the guide's behaviour (never expires, every site of the
 * account, any address, the old token dies at once).
 */

/** A key is `expiring` this long before its expiry. */
export const EXPIRING_WITHIN_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_ALLOWED_IPS = 20;
export const MAX_GRACE_PERIOD_SECONDS = 7 * 24 * 60 * 60;

export type KeyStatus = 'active' | 'expiring' | 'expired';

export function keyStatus(key: Pick<ApiKeyRecord, 'expiresAt'>, now: Date): KeyStatus {
  if (key.expiresAt === undefined) return 'active';
  const left = Date.parse(key.expiresAt) - now.getTime();
  if (left <= 0) return 'expired';
  return left <= EXPIRING_WITHIN_MS ? 'expiring' : 'active';
}

export function isExpired(key: Pick<ApiKeyRecord, 'expiresAt'>, now: Date): boolean {
  return key.expiresAt !== undefined && Date.parse(key.expiresAt) <= now.getTime();
}

/**
 * The fields the edge cannot check alone: an expiry must still be ahead when the change is made
 * (checked when the code is sent and again when it is spent), and chosen sites must be the
 * account's. `null` and absent pass: they mean "never" and "every site".
 */
export function checkKeyLimits(
  limits: {
    readonly expiresAt?: string | null | undefined;
    readonly siteIds?: readonly string[] | null | undefined;
  },
  account: Account,
  now: Date,
): void {
  if (typeof limits.expiresAt === 'string' && Date.parse(limits.expiresAt) <= now.getTime()) {
    throw new ValidationError(
      `expiresAt must be later than now (${now.toISOString()})`,
      { field: 'expiresAt' },
      'invalid_expiry',
    );
  }
  if (Array.isArray(limits.siteIds)) {
    const known = new Set(account.sites.map((site) => site.siteId));
    const foreign = limits.siteIds.filter((siteId) => !known.has(siteId));
    if (foreign.length > 0) {
      throw new ValidationError(
        `siteIds names site${foreign.length > 1 ? 's' : ''} not in this account: ${foreign.join(', ')}`,
        { field: 'siteIds', unknownSites: foreign },
        'unknown_site',
      );
    }
  }
}

/**
 * The previous token after a rotation with a grace period: kept until the grace ends, but never past
 * the key's own expiry. A second rotation replaces it, so an earlier grace ends at once.
 */
export function graceUntil(
  now: Date,
  gracePeriodSeconds: number,
  expiresAt: string | undefined,
): string | undefined {
  if (gracePeriodSeconds <= 0) return undefined;
  const end = now.getTime() + gracePeriodSeconds * 1000;
  const capped = expiresAt === undefined ? end : Math.min(end, Date.parse(expiresAt));
  return capped > now.getTime() ? new Date(capped).toISOString() : undefined;
}

/** The previous token still works only while its grace lasts (TTL-free: checked on every read). */
export function previousTokenLive(key: ApiKeyRecord, now: Date): boolean {
  return key.previousToken !== undefined && Date.parse(key.previousToken.validUntil) > now.getTime();
}
