import type { Actor } from './actors';
import { auditContextOf } from './actors';
import type { ApiKeyRecord } from './api-keys';
import { AuditEventFactory, type AuditLog, type VerificationEventType } from './audit-events';
import { VerificationFailedError, type VerificationRefusal } from './errors';
import { newVerificationId } from './ids';
import {
  type Clock,
  type MemberRef,
  systemClock,
  type VerificationChallenge,
  type VerificationStore,
} from './ports';
import {
  CODE_PATTERN,
  codeMacInput,
  newVerificationCode,
  type OpenedChallenge,
  type SecretHasher,
  type VerificationProof,
} from './verification-codes';
import { type Intent, requestHash } from './verification-intents';
import {
  memberOf,
  VERIFICATION_POLICY,
  VerificationLimits,
  type VerificationPolicy,
  type VerifyingMember,
} from './verification-limits';

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

/**
 * Opens a challenge for an intent and spends its code for exactly that intent, under the limits of
 * `VerificationPolicy`; records each send, refusal and lock as a `verification.*` event.
 */
export class VerificationService {
  private readonly store: VerificationStore;
  private readonly hasher: SecretHasher;
  private readonly clock: Clock;
  private readonly audit: AuditLog | undefined;
  private readonly events: AuditEventFactory;
  private readonly onMemberLocked: (member: MemberRef) => void;
  private readonly limits: VerificationLimits;
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
    this.limits = new VerificationLimits(this.store, this.policy);
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
    const guard = await this.limits.unlockedGuard(member, now);
    await this.limits.reserveSends(actor, guard, now);

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
    await this.limits.unlockedGuard(member, now);

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
    if (failures === undefined) throw this.limits.lockedError(now, now);
    await this.recordEvent(actor, 'verification.failed', intent, key, code);
    // The failure that reaches the cap is the one that locks the member.
    if (failures === this.policy.lockThreshold)
      await this.recordEvent(actor, 'verification.locked', intent, key);
    // The count stops at the cap, so exactly one failure reaches it: the one that locks.
    if (failures === this.policy.lockThreshold) this.onMemberLocked(member);
    const text = message ?? (code === 'verification_failed' ? NOT_THIS_REQUEST : REFUSALS[code]);
    throw new VerificationFailedError(text, code, details);
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
