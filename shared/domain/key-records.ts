import type { Account } from './accounts';
import type { KeyLimitsRequest } from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';
import { newKeyId } from './ids';
import type { TokenDigest } from './pepper';
import { generateToken } from './token';

// How a key record comes to be: the one place that mints an id and a token, stores only the
// token's digest, copies the account's sites onto the key and stamps every change. The lifecycle
// builds records here, and so do the tests that need a key in the table, so a fixture can never
// hold a record the service would not write.

export interface TokenHasher {
  hashToken(token: string): Promise<TokenDigest>;
}

export interface IssuedKey {
  readonly record: ApiKeyRecord;
  /** Shown once, in this response only. */
  readonly token: string;
}

export type LimitField = 'allowedSiteIds' | 'expiresAt' | 'allowedIps';

/** What the caller chooses for a new key; limits in the record's form (see `limitFields`). */
export type KeyFields = Pick<ApiKeyRecord, 'name' | 'description' | 'permissions'> &
  Partial<Pick<ApiKeyRecord, LimitField>>;

export interface NewKey {
  readonly account: Pick<Account, 'accountId' | 'sites'>;
  readonly fields: KeyFields;
  /** The user id recorded as creator. */
  readonly by: string;
  readonly now: Date;
}

/** A new key at version 1: a fresh time-ordered id, a fresh token and that token's digest. */
export async function mintKey(hasher: TokenHasher, key: NewKey): Promise<IssuedKey> {
  const keyId = newKeyId(key.now);
  const token = generateToken(keyId);
  const at = key.now.toISOString();
  const record: ApiKeyRecord = {
    keyId,
    accountId: key.account.accountId,
    name: key.fields.name,
    description: key.fields.description,
    permissions: key.fields.permissions,
    siteIds: key.account.sites.map((site) => site.siteId),
    allowedSiteIds: key.fields.allowedSiteIds,
    expiresAt: key.fields.expiresAt,
    allowedIps: key.fields.allowedIps,
    ...(await hasher.hashToken(token)),
    createdAt: at,
    updatedAt: at,
    createdBy: key.by,
    updatedBy: key.by,
    version: 1,
  };
  return { record, token };
}

/**
 * The same key with a new token. The old token's digest is kept as `previousToken` until
 * `previousValidUntil`; without it the old token dies at once (and an earlier grace period ends).
 */
export async function reissueToken(
  hasher: TokenHasher,
  current: ApiKeyRecord,
  change: { by: string; now: Date; previousValidUntil?: string | undefined },
): Promise<IssuedKey> {
  const token = generateToken(current.keyId);
  const record: ApiKeyRecord = {
    ...current,
    ...(await hasher.hashToken(token)),
    previousToken:
      change.previousValidUntil === undefined
        ? undefined
        : {
            tokenHash: current.tokenHash,
            pepperVersion: current.pepperVersion,
            validUntil: change.previousValidUntil,
          },
    ...changeStamp(current, change),
  };
  return { record, token };
}

/** Who changed a key and when, and the version the conditional write will expect next. */
export function changeStamp(
  current: Pick<ApiKeyRecord, 'version'>,
  change: { by: string; now: Date },
): Pick<ApiKeyRecord, 'updatedAt' | 'updatedBy' | 'version'> {
  return { updatedAt: change.now.toISOString(), updatedBy: change.by, version: current.version + 1 };
}

/** The key a create or a resolved duplicate request asks for, limits in the record's form. */
export function keyFieldsOf(
  request: Pick<ApiKeyRecord, 'name' | 'description' | 'permissions'> & KeyLimitsRequest,
): KeyFields {
  return {
    name: request.name,
    description: request.description,
    permissions: request.permissions,
    ...limitFields(request),
  };
}

/** The record's form: a lifted limit is an absent attribute. */
export function limitFields(limits: KeyLimitsRequest): Pick<ApiKeyRecord, LimitField> {
  return {
    expiresAt: limits.expiresAt ?? undefined,
    allowedSiteIds: limits.siteIds ?? undefined,
    allowedIps:
      limits.allowedIps === undefined || limits.allowedIps.length === 0 ? undefined : limits.allowedIps,
  };
}

/** The request's form of a record's limits, as the limit checks read them. */
export function publicLimits(fields: Pick<ApiKeyRecord, LimitField>): KeyLimitsRequest {
  return { expiresAt: fields.expiresAt, siteIds: fields.allowedSiteIds, allowedIps: fields.allowedIps };
}
