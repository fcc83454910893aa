import { randomInt } from 'node:crypto';
import { type Actor, auditContextOf } from './actors';
import { type Intent, requestHash } from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';
import { AuditEventFactory, type AuditLog, type VerificationEventType } from './audit-events';
import { AppError, ConflictError, TooManyRequestsError, VerificationFailedError } from './errors';
import { newVerificationId } from './ids';
import type { TokenDigest } from './pepper';
import {
  type Clock,
  systemClock,
  type VerificationChallenge,
  type VerificationGuard,
  type VerificationStore,
} from './ports';

/**
 * Emailed verification codes (NIST SP 800-63B, OWASP ASVS): six CSPRNG digits, valid ten minutes,
 * usable once, bound to account, user, action, key and request hash, stored only as an HMAC under
 * the pepper. Five wrong tries kill a challenge; failures are also counted per account across
 * challenges and a run of 100 locks the account's sensitive actions for an hour. At most five codes
 * per account in any fifteen minutes.
 */
export interface VerificationPolicy {
  readonly codeTtlSeconds: number;
  readonly maxAttempts: number;
  readonly lockThreshold: number;
  readonly lockMs: number;
  readonly maxSends: number;
  readonly sendWindowMs: number;
}

export const VERIFICATION_POLICY: VerificationPolicy = {
  codeTtlSeconds: 10 * 60,
  maxAttempts: 5,
  lockThreshold: 100,
  lockMs: 60 * 60 * 1000,
  maxSends: 5,
  sendWindowMs: 15 * 60 * 1000,
};

/** How many times a lost compare-and-set of the send log is retried before giving up. */
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

const REFUSAL =
  'This code does not confirm this request. Request a new code with POST /v1/verifications for ' +
  'exactly this action, key and body, then send it in X-Verification-Id and X-Verification-Code.';

export class VerificationService {
  private readonly store: VerificationStore;
  private readonly hasher: SecretHasher;
  private readonly clock: Clock;
  private readonly audit: AuditLog | undefined;
  private readonly events: AuditEventFactory;
  readonly policy: VerificationPolicy;

  constructor(deps: {
    store: VerificationStore;
    hasher: SecretHasher;
    clock?: Clock | undefined;
    policy?: Partial<VerificationPolicy> | undefined;
    /** Where `verification.*` events go; without it none are recorded. */
    audit?: AuditLog | undefined;
    events?: AuditEventFactory | undefined;
  }) {
    this.store = deps.store;
    this.hasher = deps.hasher;
    this.clock = deps.clock ?? systemClock;
    this.policy = { ...VERIFICATION_POLICY, ...deps.policy };
    this.audit = deps.audit;
    this.events = deps.events ?? new AuditEventFactory(undefined, () => this.clock.now());
  }

  /**
   * Records a `verification.*` event. Such an event changes no key, so it is its own write, made
   * after the fact it records (a send, a refusal, a lock) has been stored.
   */
  async recordEvent(
    actor: Actor,
    type: VerificationEventType,
    intent: Pick<Intent, 'action' | 'keyId'>,
    key?: ApiKeyRecord | undefined,
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
        },
      }),
    );
  }

  /**
   * Refuses a locked account, takes a slot in the send window, and stores a fresh challenge for the
   * intent. The caller delivers the code and calls `withdraw` if it cannot.
   */
  async open(actor: { userId: string; accountId: string }, intent: Intent): Promise<OpenedChallenge> {
    const now = this.clock.now().getTime();
    const guard = await this.store.getGuard(actor.accountId);
    this.refuseIfLocked(guard, now);
    await this.reserveSend(actor.accountId, guard, now);

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
   * Spends the code if, and only if, it confirms exactly this intent for this user. Every refusal
   * is the same 403 and counts against the account; a locked account gets 429 before anything is
   * read or counted. Consuming is one conditional write, so of parallel submissions one wins.
   */
  async confirm(
    actor: Actor,
    intent: Intent,
    proof: VerificationProof,
    /** The key the action is about, named in a failure's audit event. */
    key?: ApiKeyRecord | undefined,
  ): Promise<void> {
    const now = this.clock.now().getTime();
    const nowSeconds = Math.floor(now / 1000);
    const { accountId } = actor;
    this.refuseIfLocked(await this.store.getGuard(accountId), now);

    const challenge = await this.store.getChallenge(accountId, proof.verificationId);
    const bound =
      challenge !== undefined &&
      challenge.userId === actor.userId &&
      challenge.action === intent.action &&
      challenge.keyId === intent.keyId &&
      challenge.requestHash === requestHash(intent.request) &&
      !challenge.consumed &&
      challenge.attempts < this.policy.maxAttempts &&
      // TTL deletion lags up to two days, so an item that is still there may already be dead.
      challenge.expiresAt > nowSeconds;
    if (!bound) return this.refuse(actor, intent, key, now);

    const codeMatches =
      CODE_PATTERN.test(proof.code) &&
      (await this.hasher.verifyToken(codeMacInput(challenge.verificationId, proof.code), {
        tokenHash: challenge.codeHash,
        pepperVersion: challenge.pepperVersion,
      }));
    if (!codeMatches) {
      await this.store.countWrongCode(accountId, challenge.verificationId, this.policy.maxAttempts);
      return this.refuse(actor, intent, key, now);
    }

    const won = await this.store.consume(
      accountId,
      challenge.verificationId,
      this.policy.maxAttempts,
      nowSeconds,
    );
    // A parallel request spent the code first: no guess was wrong, so nothing is counted.
    if (!won) throw new VerificationFailedError(REFUSAL);
    await this.store.resetFailures(accountId);
  }

  private async refuse(
    actor: Actor,
    intent: Intent,
    key: ApiKeyRecord | undefined,
    now: number,
  ): Promise<never> {
    const { accountId } = actor;
    const failures = await this.store.countFailure(accountId);
    await this.recordEvent(actor, 'verification.failed', intent, key);
    if (failures >= this.policy.lockThreshold) {
      const locked = await this.store.lock(accountId, now + this.policy.lockMs, this.policy.lockThreshold);
      if (locked) await this.recordEvent(actor, 'verification.locked', intent, key);
    }
    throw new VerificationFailedError(REFUSAL);
  }

  private refuseIfLocked(guard: VerificationGuard, now: number): void {
    if (guard.lockedUntil !== undefined && guard.lockedUntil > now) {
      throw new TooManyRequestsError(
        'Too many wrong verification codes: changes to API keys are locked for this account for an hour',
        (guard.lockedUntil - now) / 1000,
        'account_locked',
      );
    }
  }

  /** Sliding window: the send times of the last window live on the guard, written compare-and-set. */
  private async reserveSend(accountId: string, firstRead: VerificationGuard, now: number): Promise<void> {
    let guard = firstRead;
    for (let attempt = 0; attempt < SEND_LOG_RETRIES; attempt++) {
      const recent = guard.sends.filter((sentAt) => sentAt > now - this.policy.sendWindowMs);
      if (recent.length >= this.policy.maxSends) {
        const oldest = Math.min(...recent);
        throw new TooManyRequestsError(
          `At most ${this.policy.maxSends} verification codes per account in ${this.policy.sendWindowMs / 60_000} minutes; wait before asking for another`,
          (oldest + this.policy.sendWindowMs - now) / 1000,
          'too_many_codes',
        );
      }
      if (await this.store.replaceSends(accountId, [...recent, now], guard.sendsVersion)) return;
      guard = await this.store.getGuard(accountId);
    }
    throw new ConflictError('Too many verification requests at once for this account; try again', 'busy');
  }
}
