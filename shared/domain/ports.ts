import type { Account, Membership, Site } from './accounts';
import type { ApiKeyRecord, Page } from './api-keys';
import type { AuditEvent } from './audit-events';

/**
 * The narrow ports the domain depends on. Adapters in `shared/adapters` implement them for
 * DynamoDB, SES and KMS; they translate SDK errors into the domain's errors.
 */
export interface KeyStore {
  /** Strongly consistent read by key id; undefined when there is no such key. */
  get(keyId: string): Promise<ApiKeyRecord | undefined>;
  /**
   * Each change takes the audit event that records it and writes both in one transaction: a change
   * is never without its event, and a change that fails leaves no event.
   */
  /** Fails with ConflictError if the key id is taken. */
  create(record: ApiKeyRecord, event?: AuditEvent): Promise<void>;
  /**
   * Writes `record` (whose `version` is the new version) only if the stored version is still
   * `expectedVersion` and the key still belongs to `record.accountId`; otherwise ConflictError
   * (or NotFoundError when the key is gone).
   */
  replace(record: ApiKeyRecord, expectedVersion: number, event?: AuditEvent): Promise<void>;
  /** Deletes only if the key exists in that account (NotFoundError) at that version (ConflictError). */
  delete(accountId: string, keyId: string, expectedVersion: number, event?: AuditEvent): Promise<void>;
  /**
   * Deletes the key, with its event, only while it still holds `record.tokenHash` (a key rotated in
   * the meantime no longer holds the leaked secret). Returns whether it deleted.
   */
  deleteIfTokenMatches(record: ApiKeyRecord, event: AuditEvent): Promise<boolean>;
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

/** The kinds of change a verification code can confirm. */
export type VerifiedAction = 'create' | 'rotate' | 'duplicate' | 'update' | 'delete';

/**
 * A verification challenge as stored. It holds the code only as an HMAC under the pepper, and the
 * request it confirms only as a hash, so the item alone confirms nothing.
 */
export interface VerificationChallenge {
  readonly verificationId: string;
  readonly accountId: string;
  readonly userId: string;
  readonly action: VerifiedAction;
  /** Absent for `create`, which has no key yet. */
  readonly keyId?: string | undefined;
  /** SHA-256 of the canonical JSON of the validated, normalised request body. */
  readonly requestHash: string;
  readonly codeHash: string;
  readonly pepperVersion: number;
  readonly attempts: number;
  readonly consumed: boolean;
  readonly createdAt: string;
  /** Epoch seconds; also the table's TTL attribute, so it is checked on every read as well. */
  readonly expiresAt: number;
}

/** The per-account guard: failures across challenges, the lock, and the recent send times. */
export interface VerificationGuard {
  readonly consecutiveFailures: number;
  /** Epoch milliseconds; absent or in the past when not locked. */
  readonly lockedUntil?: number | undefined;
  /** Epoch milliseconds of recent code sends, oldest first. */
  readonly sends: readonly number[];
  /** Compare-and-set version of `sends`; 0 when never written. */
  readonly sendsVersion: number;
}

export interface VerificationStore {
  /** Fails with ConflictError if the id is taken. */
  createChallenge(challenge: VerificationChallenge): Promise<void>;
  /** Strongly consistent; undefined when absent. Does NOT filter expired items: callers check. */
  getChallenge(accountId: string, verificationId: string): Promise<VerificationChallenge | undefined>;
  deleteChallenge(accountId: string, verificationId: string): Promise<void>;
  /**
   * One conditional write: `attempts + 1` only while attempts < maxAttempts and not consumed.
   * Returns whether it counted. Never throws for a lost condition.
   */
  countWrongCode(accountId: string, verificationId: string, maxAttempts: number): Promise<boolean>;
  /**
   * One conditional write: consumed = true only if it is not consumed, attempts < maxAttempts and
   * expiresAt > nowSeconds. Returns whether this caller won. Never throws for a lost condition.
   */
  consume(
    accountId: string,
    verificationId: string,
    maxAttempts: number,
    nowSeconds: number,
  ): Promise<boolean>;
  /** Strongly consistent; an account that never had a guard item reads as all zeros. */
  getGuard(accountId: string): Promise<VerificationGuard>;
  /** Adds one to the consecutive failure count and returns the new count. */
  countFailure(accountId: string): Promise<number>;
  /**
   * Sets `lockedUntil` and starts the count again, only while the count is still >= threshold (so
   * of two requests that both crossed it, one locks). Returns whether it wrote.
   */
  lock(accountId: string, lockedUntil: number, threshold: number): Promise<boolean>;
  /** A confirmed code ends the run of failures. */
  resetFailures(accountId: string): Promise<void>;
  /** Compare-and-set of the send log. Returns false when another request changed it first. */
  replaceSends(accountId: string, sends: readonly number[], expectedVersion: number): Promise<boolean>;
}

export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string | undefined;
}

export interface Mailer {
  /** Fails with DependencyError when the message could not be handed to the mail service. */
  send(message: MailMessage): Promise<void>;
}
