import type { Account, Membership, Site } from './accounts';
import type { ApiKeyRecord, PageRequest, StoredPage } from './api-keys';
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
  /**
   * Ends the grace period of `record.previousToken` at once (the key and its current token stay),
   * with its event, only while the key still holds that previous token and its grace has not ended.
   * Bumps the version, so an edit that read the key before cannot write the token back. Returns
   * whether it wrote.
   */
  revokePreviousToken(record: ApiKeyRecord, event: AuditEvent, by: string): Promise<boolean>;
  /** Newest first, the account's keys only, starting after `page.after`. */
  listByAccount(accountId: string, page: PageRequest): Promise<StoredPage<ApiKeyRecord>>;
  /**
   * Records `lastUsedAt = at` only if the stored value is older than `staleBefore` (or absent).
   * Returns whether it wrote. One conditional write; never throws for a lost condition.
   */
  recordUse(keyId: string, at: string, staleBefore: string): Promise<boolean>;
}

/** What the authorizer needs of the key store: the one read, and the throttled lastUsedAt write. */
export type KeyLookup = Pick<KeyStore, 'get' | 'recordUse'>;

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

/** Whose counters: failures and code sends are counted per member (per subscriber, NIST SP 800-63B). */
export interface MemberRef {
  readonly accountId: string;
  readonly userId: string;
}

/** A list of recent send times, written compare-and-set. */
export interface SendLog {
  /** Epoch milliseconds of recent code sends, oldest first. */
  readonly sends: readonly number[];
  /** Compare-and-set version of `sends`; 0 when never written. */
  readonly sendsVersion: number;
}

/** One member's guard: their run of failures across challenges, and their recent sends. */
export interface MemberGuard extends SendLog {
  readonly failures: number;
  /** Epoch milliseconds of the last failure counted; the lock runs from the one that hit the cap. */
  readonly lastFailureAt?: number | undefined;
}

export interface VerificationStore {
  /** Fails with ConflictError if the id is taken. */
  createChallenge(challenge: VerificationChallenge): Promise<void>;
  /** Strongly consistent; undefined when absent. Does NOT filter expired items: callers check. */
  getChallenge(accountId: string, verificationId: string): Promise<VerificationChallenge | undefined>;
  deleteChallenge(accountId: string, verificationId: string): Promise<void>;
  /**
   * One conditional write: `attempts + 1` only while attempts < maxAttempts and not consumed.
   * Returns the attempts after counting, or undefined when it could not count (used or used up).
   */
  countWrongCode(accountId: string, verificationId: string, maxAttempts: number): Promise<number | undefined>;
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
  /** Strongly consistent; a member who never had a guard item reads as all zeros. */
  getMemberGuard(member: MemberRef): Promise<MemberGuard>;
  /**
   * One conditional write: failures + 1 and lastFailureAt = at, only while failures < cap, so no
   * number of parallel requests counts past the cap. Returns the new count, or undefined when the
   * member is already at the cap (nothing was counted).
   */
  countFailure(member: MemberRef, cap: number, at: number): Promise<number | undefined>;
  /**
   * Starts a run that hit the cap again once its lock is over: failures = 0, only while the last
   * failure is still `seenLastFailureAt` (of two requests that both saw the expired lock, one writes).
   */
  restartFailures(member: MemberRef, seenLastFailureAt: number): Promise<boolean>;
  /** A confirmed code ends the member's run of failures. */
  resetFailures(member: MemberRef): Promise<void>;
  /** Compare-and-set of the member's send log. Returns false when another request changed it first. */
  replaceMemberSends(member: MemberRef, sends: readonly number[], expectedVersion: number): Promise<boolean>;
  /** The account-wide send log that guards the shared mailbox; all zeros when never written. */
  getMailboxSends(accountId: string): Promise<SendLog>;
  /** Compare-and-set of the mailbox send log. Returns false when another request changed it first. */
  replaceMailboxSends(accountId: string, sends: readonly number[], expectedVersion: number): Promise<boolean>;
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
