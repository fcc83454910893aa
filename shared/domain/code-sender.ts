import { maskEmail } from './accounts';
import type { Actor } from './actors';
import type { KeyLimitsRequest } from './api-key-requests';
import { composeCodeMail } from './code-mail';
import { NotFoundError } from './errors';
import { checkKeyLimits } from './key-policies';
import { loadOwnKey } from './key-reads';
import type { AccountStore, Clock, KeyStore, Mailer } from './ports';
import { systemClock } from './ports';
import { CodeDeliveryError } from './verification-codes';
import { type Intent, intentOf, type StartVerificationInput } from './verification-intents';
import type { VerificationService } from './verifications';

export interface SentCode {
  readonly verificationId: string;
  readonly sentTo: string;
  readonly expiresAt: string;
}

/**
 * `POST /v1/verifications`: checks the request is one the action would accept and the key is the
 * caller's, then opens a challenge and emails its code to the account's linked address.
 */
export class VerificationCodeSender {
  private readonly keys: KeyStore;
  private readonly accounts: AccountStore;
  private readonly verifications: VerificationService;
  private readonly mailer: Mailer;
  private readonly clock: Clock;

  constructor(deps: {
    keys: KeyStore;
    accounts: AccountStore;
    verifications: VerificationService;
    mailer: Mailer;
    clock?: Clock | undefined;
  }) {
    this.keys = deps.keys;
    this.accounts = deps.accounts;
    this.verifications = deps.verifications;
    this.mailer = deps.mailer;
    this.clock = deps.clock ?? systemClock;
  }

  async sendCode(actor: Actor, input: StartVerificationInput): Promise<SentCode> {
    const key = input.action === 'create' ? undefined : await loadOwnKey(this.keys, actor, input.keyId);
    const intent = intentOf(input, key);
    const account = await this.accounts.getAccount(actor.accountId);
    if (account === undefined) throw new NotFoundError('Account not found');
    checkKeyLimits(limitsToCheck(intent), account, this.clock.now());

    const opened = await this.verifications.open(actor, intent);
    try {
      const requestedBy = { userId: actor.userId, role: actor.role };
      await this.mailer.send(composeCodeMail({ intent, key, account, requestedBy }, opened));
    } catch (error) {
      // A code nobody received must not stay usable; if even the delete fails, it dies at expiry.
      await this.verifications.withdraw(actor.accountId, opened.verificationId).catch(() => undefined);
      throw new CodeDeliveryError('The verification code could not be sent; try again in a minute', {
        cause: error,
        headers: { 'Retry-After': '60' },
      });
    }
    await this.verifications.recordEvent(actor, 'verification.sent', intent, key);
    return {
      verificationId: opened.verificationId,
      sentTo: maskEmail(account.email),
      expiresAt: opened.expiresAt.toISOString(),
    };
  }
}

/** The limits a request would leave a key with, checked before a code is sent for it. */
function limitsToCheck(intent: Intent): KeyLimitsRequest {
  // A duplicate's intent already carries the limits resolved against its source.
  return intent.action === 'rotate' || intent.action === 'delete' ? {} : intent.request;
}
