import { randomInt } from 'node:crypto';
import type { MemberRole } from './accounts';
import { type Actor, auditContextOf } from './actors';
import { type Intent, requestHash } from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';
import { AuditEventFactory, type AuditLog, type VerificationEventType } from './audit-events';
import {
  AppError,
  ConflictError,
  TooManyRequestsError,
  VerificationFailedError,
  type VerificationRefusal,
} from './errors';
import { newVerificationId } from './ids';
import type { TokenDigest } from './pepper';
import {
  type Clock,
  type MemberGuard,
  type MemberRef,
  type SendLog,
  systemClock,
  type VerificationChallenge,
  type VerificationStore,
} from './ports';

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

/** The pepper, as far as codes need it. `PepperRing` satisfies it. */
export interface SecretHasher {
  hashToken(secret: string): Promise<TokenDigest>;
  verifyToken(secret: string, stored: TokenDigest): Promise<boolean>;
}

export interface VerificationProof {
  readonly verificationId: string;
  readonly code: string;
}

export interface OpenedChallenge {
  readonly verificationId: string;
  /** The plain code: handed to the mailer and dropped. Never stored, logged or returned. */
  readonly code: string;
  readonly expiresAt: Date;
}

/** The code could not be sent; the challenge was withdrawn, so nothing is left half-done. */
export class CodeDeliveryError extends AppError {
  readonly statusCode = 503;
  readonly code = 'code_not_sent';
}

export const CODE_PATTERN = /^[0-9]{6}$/;

export function newVerificationCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, '0');
}

/** The id is part of the MAC input, so equal codes of two challenges hash differently. */
function codeMacInput(verificationId: string, code: string): string {
  return `latchkey-verification:${verificationId}:${code}`;
}

const ASK_AGAIN =
  'Request a new code with POST /v1/verifications for exactly this action, key and body, then send it ' +
  'in X-Verification-Id and X-Verification-Code.';

const REFUSALS: Record<Exclude<VerificationRefusal, 'verification_failed'>, string> = {
  verification_expired: `This code has expired. ${ASK_AGAIN}`,
  verification_used: `This code was already used. ${ASK_AGAIN}`,
  verification_exhausted: `This code took too many wrong tries and no longer works. ${ASK_AGAIN}`,
};
const NOT_THIS_REQUEST = `This code does not confirm this request. ${ASK_AGAIN}`;
const WRONG_CODE = 'Wrong verification code.';

export class VerificationService {
  private readonly store: VerificationStore;
  private readonly hasher: SecretHasher;
  private readonly clock: Clock;
  private readonly audit: AuditLog | undefined;
  private readonly events: AuditEventFactory;
  private readonly onMemberLocked: (member: MemberRef) => void;
  readonly policy: VerificationPolicy;

  constructor(deps: {
    store: VerificationStore;
    hasher: SecretHasher;
    clock?: Clock | undefined;
    policy?: Partial<VerificationPolicy> | undefined;
    /** Where `verification.*` events go; without it none are recorded. */
    audit?: AuditLog | undefined;
    events?: AuditEventFactory | undefined;
    /** Told each time a run of wrong codes locks a member (the composition root counts it). */
    onMemberLocked?: ((member: MemberRef) => void) | undefined;
  }) {
    this.store = deps.store;
    this.hasher = deps.hasher;
    this.clock = deps.clock ?? systemClock;
    this.onMemberLocked = deps.onMemberLocked ?? (() => undefined);
    this.policy = { ...VERIFICATION_POLICY, ...deps.policy };
    this.audit = deps.audit;
    this.events = deps.events ?? new AuditEventFactory(undefined, () => this.clock.now());
  }

  /**
   * Records a `verification.*` event. Such an event changes no key, so it is its own write, made
   * after the fact it records (a send, a refusal, a lock) has been stored.
   */
  async recordEvent(
    actor: AuditedMember,
    type: VerificationEventType,
    intent: Pick<Intent, 'action' | 'keyId'>,
    key?: ApiKeyRecord | undefined,
    reason?: string | undefined,
  ): Promise<void> {
    if (this.audit === undefined) return;
    await this.audit.record(
      this.events.build(auditContextOf(actor), {
        accountId: actor.accountId,
        type,
        key,
        details: {
          action: intent.action,
          ...(key === undefined && intent.keyId !== undefined ? { keyId: intent.keyId } : {}),
          ...(reason === undefined ? {} : { reason }),
        },
      }),
    );
  }

  /**
   * Refuses a locked member, takes a slot in the member's send window (and, for members who are not
   * owners, in the mailbox's), and stores a fresh challenge for the intent. The caller delivers the
   * code and calls `withdraw` if it cannot.
   */
  async open(actor: VerifyingMember, intent: Intent): Promise<OpenedChallenge> {
    const now = this.clock.now().getTime();
    const member = memberOf(actor);
    const guard = await this.unlockedGuard(member, now);
    await this.reserveMemberSend(member, guard, now);
    if (actor.role !== 'owner') await this.reserveMailboxSend(actor.accountId, now);

    const verificationId = newVerificationId();
    const code = newVerificationCode();
    const digest = await this.hasher.hashToken(codeMacInput(verificationId, code));
    const expiresAtSeconds = Math.floor(now / 1000) + this.policy.codeTtlSeconds;
    const challenge: VerificationChallenge = {
      verificationId,
      accountId: actor.accountId,
      userId: actor.userId,
      action: intent.action,
      keyId: intent.keyId,
      requestHash: requestHash(intent.request),
      codeHash: digest.tokenHash,
      pepperVersion: digest.pepperVersion,
      attempts: 0,
      consumed: false,
      createdAt: new Date(now).toISOString(),
      expiresAt: expiresAtSeconds,
    };
    await this.store.createChallenge(challenge);
    return { verificationId, code, expiresAt: new Date(expiresAtSeconds * 1000) };
  }

  async withdraw(accountId: string, verificationId: string): Promise<void> {
    await this.store.deleteChallenge(accountId, verificationId);
  }

  /**
   * Spends the code if, and only if, it confirms exactly this intent for this member. Every refusal
   * is a 403 that counts against this member (and no one else); a locked member gets 429 before
   * anything is read. Consuming is one conditional write, so of parallel submissions one wins.
   */
  async confirm(
    actor: AuditedMember,
    intent: Intent,
    proof: VerificationProof,
    /** The key the action is about, named in a refusal's audit event. */
    key?: ApiKeyRecord | undefined,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const nowSeconds = Math.floor(now / 1000);
    const member = memberOf(actor);
    const refusal: Refusal = { member, actor, intent, key };
    await this.unlockedGuard(member, now);

    const challenge = await this.store.getChallenge(actor.accountId, proof.verificationId);
    // Only the member a challenge was issued to may learn anything about it.
    if (challenge === undefined || challenge.userId !== actor.userId) {
      return this.refuse(refusal, now, 'verification_failed', NOT_THIS_REQUEST);
    }
    const bound =
      challenge.action === intent.action &&
      challenge.keyId === intent.keyId &&
      challenge.requestHash === requestHash(intent.request);
    if (!bound) return this.refuse(refusal, now, 'verification_failed', NOT_THIS_REQUEST);
    if (challenge.consumed) return this.refuse(refusal, now, 'verification_used');
    if (challenge.attempts >= this.policy.maxAttempts) {
      return this.refuse(refusal, now, 'verification_exhausted');
    }
    // TTL deletion lags up to two days, so an item that is still there may already be dead.
    if (challenge.expiresAt <= nowSeconds) return this.refuse(refusal, now, 'verification_expired');

    const codeMatches =
      CODE_PATTERN.test(proof.code) &&
      (await this.hasher.verifyToken(codeMacInput(challenge.verificationId, proof.code), {
        tokenHash: challenge.codeHash,
        pepperVersion: challenge.pepperVersion,
      }));
    if (!codeMatches) {
      const attempts = await this.store.countWrongCode(
        actor.accountId,
        challenge.verificationId,
        this.policy.maxAttempts,
      );
      // Parallel wrong tries used the last ones up (or a parallel right one spent the code).
      if (attempts === undefined) return this.refuse(refusal, now, 'verification_exhausted');
      const triesLeft = Math.max(0, this.policy.maxAttempts - attempts);
      return this.refuse(refusal, now, 'verification_failed', WRONG_CODE, { triesLeft });
    }

    const won = await this.store.consume(
      actor.accountId,
      challenge.verificationId,
      this.policy.maxAttempts,
      nowSeconds,
    );
    // A parallel request spent the code first: no guess was wrong, so nothing is counted.
    if (!won) throw new VerificationFailedError(REFUSALS.verification_used, 'verification_used');
    await this.store.resetFailures(member);
  }

  /**
   * Counts the failure against the member, then refuses. The count is one conditional write that
   * stops at the cap, so however many requests race, the cap is never passed; a request that finds
   * the member already at the cap is answered as locked.
   */
  private async refuse(
    refusal: Refusal,
    now: number,
    code: VerificationRefusal,
    message?: string,
    details?: { triesLeft: number },
  ): Promise<never> {
    const { member, actor, intent, key } = refusal;
    const failures = await this.store.countFailure(member, this.policy.lockThreshold, now);
    if (failures === undefined) throw this.lockedError(now, now);
    await this.recordEvent(actor, 'verification.failed', intent, key, code);
    // The failure that reaches the cap is the one that locks the member.
    if (failures === this.policy.lockThreshold)
      await this.recordEvent(actor, 'verification.locked', intent, key);
    // The count stops at the cap, so exactly one failure reaches it: the one that locks.
    if (failures === this.policy.lockThreshold) this.onMemberLocked(member);
    const text = message ?? (code === 'verification_failed' ? NOT_THIS_REQUEST : REFUSALS[code]);
    throw new VerificationFailedError(text, code, details);
  }

  /**
   * The member's guard, or 429 while their run of failures is at the cap and the hour since the
   * failure that reached it is not over. An expired lock starts the run again.
   */
  private async unlockedGuard(member: MemberRef, now: number): Promise<MemberGuard> {
    const guard = await this.store.getMemberGuard(member);
    if (guard.failures < this.policy.lockThreshold) return guard;
    const lockStart = guard.lastFailureAt ?? now;
    if (lockStart + this.policy.lockMs > now) throw this.lockedError(lockStart, now);
    if (guard.lastFailureAt !== undefined) await this.store.restartFailures(member, guard.lastFailureAt);
    return { ...guard, failures: 0 };
  }

  private lockedError(lockStart: number, now: number): TooManyRequestsError {
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

/** A member as the audit log records them: who, and from where. */
export type AuditedMember = VerifyingMember & Partial<Pick<Actor, 'email' | 'origin'>>;

/** What a refusal counts against and records. */
interface Refusal {
  readonly member: MemberRef;
  readonly actor: AuditedMember;
  readonly intent: Intent;
  readonly key: ApiKeyRecord | undefined;
}

function memberOf(actor: MemberRef): MemberRef {
  return { accountId: actor.accountId, userId: actor.userId };
}
