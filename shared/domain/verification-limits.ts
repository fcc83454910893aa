import type { MemberRole } from './accounts';
import { ConflictError, TooManyRequestsError } from './errors';
import type { MemberGuard, MemberRef, SendLog, VerificationStore } from './ports';

/**
 * Emailed verification codes (NIST SP 800-63B, OWASP ASVS): six CSPRNG digits, valid ten minutes,
 * usable once, bound to account, member, action, key and request hash, stored only as an HMAC under
 * the pepper. Five wrong tries kill a challenge.
 *
 * The limits count per member, never per account, so one member can neither lock nor starve another
 * (NIST limits failed attempts per subscriber): a run of 100 failures locks that member's changes for
 * an hour, and a member gets at most five codes in any fifteen minutes. The one account-wide limit
 * protects the shared mailbox every code goes to: at most twenty codes per fifteen minutes from
 * members who are not owners. Owners are outside it, so whatever the other members do, an owner can
 * always get a code and revoke a key.
 */
export interface VerificationPolicy {
  readonly codeTtlSeconds: number;
  readonly maxAttempts: number;
  /** Failures in a row, per member, that lock the member. */
  readonly lockThreshold: number;
  readonly lockMs: number;
  /** Codes per member per window. */
  readonly maxSends: number;
  /** Codes per window from all non-owner members of an account together. */
  readonly mailboxMaxSends: number;
  readonly sendWindowMs: number;
}

export const VERIFICATION_POLICY: VerificationPolicy = {
  codeTtlSeconds: 10 * 60,
  maxAttempts: 5,
  lockThreshold: 100,
  lockMs: 60 * 60 * 1000,
  maxSends: 5,
  mailboxMaxSends: 20,
  sendWindowMs: 15 * 60 * 1000,
};

/** A member as the verification rules see them: owners are outside the mailbox ceiling. */
export interface VerifyingMember extends MemberRef {
  readonly role?: MemberRole | undefined;
}

/** How many times a lost compare-and-set of a send log is retried before giving up. */
const SEND_LOG_RETRIES = 5;

/**
 * The limits on a member's verification traffic: the lock a run of wrong codes sets, and the
 * sliding send windows per member and per mailbox. Every count lives on a stored item written
 * compare-and-set, so parallel requests never pass a limit.
 */
export class VerificationLimits {
  constructor(
    private readonly store: VerificationStore,
    readonly policy: VerificationPolicy,
  ) {}

  /**
   * Takes a slot in the member's send window and, for members who are not owners, in the mailbox's.
   * `guard` is the member's guard as just read.
   */
  async reserveSends(actor: VerifyingMember, guard: MemberGuard, now: number): Promise<void> {
    await this.reserveMemberSend(memberOf(actor), guard, now);
    if (actor.role !== 'owner') await this.reserveMailboxSend(actor.accountId, now);
  }

  /**
   * The member's guard, or 429 while their run of failures is at the cap and the hour since the
   * failure that reached it is not over. An expired lock starts the run again.
   */
  async unlockedGuard(member: MemberRef, now: number): Promise<MemberGuard> {
    const guard = await this.store.getMemberGuard(member);
    if (guard.failures < this.policy.lockThreshold) return guard;
    const lockStart = guard.lastFailureAt ?? now;
    if (lockStart + this.policy.lockMs > now) throw this.lockedError(lockStart, now);
    if (guard.lastFailureAt !== undefined) await this.store.restartFailures(member, guard.lastFailureAt);
    return { ...guard, failures: 0 };
  }

  lockedError(lockStart: number, now: number): TooManyRequestsError {
    return new TooManyRequestsError(
      `Too many wrong verification codes from you: your changes to API keys are locked for an hour. Other members of the account are not affected.`,
      (lockStart + this.policy.lockMs - now) / 1000,
      'member_locked',
    );
  }

  private async reserveMemberSend(member: MemberRef, firstRead: MemberGuard, now: number): Promise<void> {
    await this.reserveSend(
      firstRead,
      now,
      this.policy.maxSends,
      (sends, version) => this.store.replaceMemberSends(member, sends, version),
      () => this.store.getMemberGuard(member),
      (retryAfter) =>
        new TooManyRequestsError(
          `At most ${this.policy.maxSends} verification codes per member in ${this.policy.sendWindowMs / 60_000} minutes; wait before asking for another`,
          retryAfter,
          'too_many_codes',
        ),
    );
  }

  private async reserveMailboxSend(accountId: string, now: number): Promise<void> {
    await this.reserveSend(
      await this.store.getMailboxSends(accountId),
      now,
      this.policy.mailboxMaxSends,
      (sends, version) => this.store.replaceMailboxSends(accountId, sends, version),
      () => this.store.getMailboxSends(accountId),
      (retryAfter) =>
        new TooManyRequestsError(
          `The account's mailbox got ${this.policy.mailboxMaxSends} codes from its members in the last ${this.policy.sendWindowMs / 60_000} minutes; wait, or ask an owner`,
          retryAfter,
          'mailbox_limit',
        ),
    );
  }

  /** Sliding window: the send times of the last window live on one item, written compare-and-set. */
  private async reserveSend(
    firstRead: SendLog,
    now: number,
    limit: number,
    replace: (sends: readonly number[], expectedVersion: number) => Promise<boolean>,
    reread: () => Promise<SendLog>,
    full: (retryAfterSeconds: number) => Error,
  ): Promise<void> {
    let log = firstRead;
    for (let attempt = 0; attempt < SEND_LOG_RETRIES; attempt++) {
      const recent = log.sends.filter((sentAt) => sentAt > now - this.policy.sendWindowMs);
      if (recent.length >= limit) {
        throw full((Math.min(...recent) + this.policy.sendWindowMs - now) / 1000);
      }
      if (await replace([...recent, now], log.sendsVersion)) return;
      log = await reread();
    }
    throw new ConflictError('Too many verification requests at once; try again', 'busy');
  }
}

export function memberOf(actor: MemberRef): MemberRef {
  return { accountId: actor.accountId, userId: actor.userId };
}
