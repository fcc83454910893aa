import type { Account, Membership, Site } from './accounts';
import type { ApiKeyRecord, Page } from './api-keys';

/**
 * The narrow ports the domain depends on. Adapters in `shared/adapters` implement them for
 * DynamoDB, SES and KMS; they translate SDK errors into the domain's errors.
 */
export interface KeyStore {
  /** Strongly consistent read by key id; undefined when there is no such key. */
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /** Fails with ConflictError if the key id is taken. */
  create(record: ApiKeyRecord): Promise<void>;
  /**
   * Writes `record` (whose `version` is the new version) only if the stored version is still
   * `expectedVersion` and the key still belongs to `record.accountId`; otherwise ConflictError
   * (or NotFoundError when the key is gone).
   */
  replace(record: ApiKeyRecord, expectedVersion: number): Promise<void>;
  /** Deletes only if the key exists in that account (NotFoundError) at that version (ConflictError). */
  delete(accountId: string, keyId: string, expectedVersion: number): Promise<void>;
  /** Newest first. The cursor is opaque to callers; a malformed one is a ValidationError. */
  listByAccount(
    accountId: string,
    options: { limit: number; cursor?: string | undefined },
  ): Promise<Page<ApiKeyRecord>>;
  /**
   * Records `lastUsedAt = at` only if the stored value is older than `staleBefore` (or absent).
   * Returns whether it wrote. One conditional write; never throws for a lost condition.
   */
  recordUse(keyId: string, at: string, staleBefore: string): Promise<boolean>;
}

export interface AccountStore {
  getAccount(accountId: string): Promise<Account | undefined>;
  getMembership(userId: string): Promise<Membership | undefined>;
  /** Fails with ConflictError if the account exists. */
  createAccount(account: Account): Promise<void>;
  /** Replaces the account's linked email address. NotFoundError if there is no such account. */
  setEmail(accountId: string, email: string): Promise<void>;
  /** Adds or renames a site and copies the account's site ids onto each of its keys. */
  putSite(accountId: string, site: Site): Promise<Account>;
  /** Fails with ConflictError if the user already belongs to an account. */
  addMember(membership: Membership): Promise<void>;
}

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
