import type { Account } from './accounts';
import { type AuditEvent, toPublicAuditEvent } from './audit-events';
import type { Mailer, MailMessage } from './ports';
import { type SignedWebhook, signWebhook } from './webhooks';

/**
 * What Latchkey tells an account after the fact: a security mail when a key is generated, rotated,
 * deleted or revoked because it leaked (like GitHub's "a new token was added"), expiry reminders,
 * and the same events to the account's webhook, if it has one. Notifications follow a committed
 * change and never undo it: a failed mail or webhook is logged, and the caller's response (which may
 * hold a token shown once) is not lost to it.
 */

/** An account's webhook. The secret is kept sealed; stores hand it out opened, only to the sender. */
export interface WebhookSubscription {
  readonly accountId: string;
  readonly url: string;
  readonly secret: string;
  readonly createdAt: string;
}

export interface WebhookStore {
  get(accountId: string): Promise<WebhookSubscription | undefined>;
  /** Replaces the account's webhook. */
  put(subscription: WebhookSubscription): Promise<void>;
  /** NotFoundError when there is none. */
  delete(accountId: string): Promise<void>;
}

export interface WebhookSender {
  /**
   * One POST of the signed delivery. Fails (throws) on a refused destination, a network error, a
   * timeout or a non-2xx answer; the caller decides about retrying.
   */
  post(url: string, delivery: SignedWebhook): Promise<void>;
}

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  readonly attempts: number;
  /** Delay before the second attempt; each later one doubles it. */
  readonly firstDelayMs: number;
}

/**
 * Within one invocation, so three attempts with 0.5 s and 1 s between them: enough to ride out a
 * receiver's restart without holding a key change's response for long.
 */
export const WEBHOOK_RETRY: RetryPolicy = { attempts: 3, firstDelayMs: 500 };

/** Event types that mail the account. Edits and duplicates of a name are in the log and webhook only. */
const MAILED = new Set<AuditEvent['type']>([
  'key.created',
  'key.duplicated',
  'key.rotated',
  'key.deleted',
  'key.revoked_leak',
]);

/** The kinds of events a webhook receives: key events, reminders and account locks. */
export type NotifiedEventType = AuditEvent['type'] | 'key.expiring';

export interface NotificationFailure {
  readonly channel: 'mail' | 'webhook';
  readonly eventType: NotifiedEventType;
  readonly accountId: string;
  readonly error: unknown;
}

export class SecurityNotifier {
  private readonly mailer: Mailer;
  private readonly accounts: { getAccount(accountId: string): Promise<Account | undefined> };
  private readonly webhooks: WebhookStore | undefined;
  private readonly sender: WebhookSender | undefined;
  private readonly retry: RetryPolicy;
  private readonly onFailure: (failure: NotificationFailure) => void;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(deps: {
    mailer: Mailer;
    accounts: { getAccount(accountId: string): Promise<Account | undefined> };
    webhooks?: WebhookStore | undefined;
    sender?: WebhookSender | undefined;
    retry?: RetryPolicy | undefined;
    onFailure: (failure: NotificationFailure) => void;
    sleep?: ((ms: number) => Promise<void>) | undefined;
  }) {
    this.mailer = deps.mailer;
    this.accounts = deps.accounts;
    this.webhooks = deps.webhooks;
    this.sender = deps.sender;
    this.retry = deps.retry ?? WEBHOOK_RETRY;
    this.onFailure = deps.onFailure;
    this.sleep = deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** After a committed event: the security mail (when the type is mailed) and the webhook. Never throws. */
  async notify(event: AuditEvent): Promise<void> {
    await Promise.all([
      MAILED.has(event.type)
        ? this.mail(event.accountId, event.type, (account) => securityMail(account, event))
        : undefined,
      this.webhook(event.accountId, event.type, event.eventId, toPublicAuditEvent(event)),
    ]);
  }

  /** Sends one mail to the account's address; a failure is reported, never thrown. */
  async mail(
    accountId: string,
    eventType: NotifiedEventType,
    compose: (account: Account) => MailMessage,
  ): Promise<boolean> {
    try {
      const account = await this.accounts.getAccount(accountId);
      if (account === undefined) return false;
      await this.mailer.send(compose(account));
      return true;
    } catch (error) {
      this.onFailure({ channel: 'mail', eventType, accountId, error });
      return false;
    }
  }

  /** Delivers `{type, timestamp, data}` to the account's webhook, with retries. Never throws. */
  async webhook(accountId: string, type: NotifiedEventType, messageId: string, data: unknown): Promise<void> {
    if (this.webhooks === undefined || this.sender === undefined) return;
    try {
      const subscription = await this.webhooks.get(accountId);
      if (subscription === undefined) return;
      const timestamp = new Date();
      const body = JSON.stringify({ type, timestamp: timestamp.toISOString(), data });
      const delivery = signWebhook(subscription.secret, `msg_${messageId}`, timestamp.getTime() / 1000, body);
      await this.withRetry(() => this.sender?.post(subscription.url, delivery) ?? Promise.resolve());
    } catch (error) {
      this.onFailure({ channel: 'webhook', eventType: type, accountId, error });
    }
  }

  private async withRetry(attempt: () => Promise<void>): Promise<void> {
    let delay = this.retry.firstDelayMs;
    for (let n = 1; ; n++) {
      try {
        await attempt();
        return;
      } catch (error) {
        if (n >= this.retry.attempts) throw error;
        await this.sleep(delay);
        delay *= 2;
      }
    }
  }
}

const MAIL_WORDS: Partial<Record<AuditEvent['type'], { subject: string; line: string }>> = {
  'key.created': { subject: 'A new API key was generated', line: 'A new API key was generated' },
  'key.duplicated': {
    subject: 'A new API key was generated',
    line: 'A new API key was generated (duplicated)',
  },
  'key.rotated': {
    subject: 'An API key was rotated',
    line: 'An API key was rotated; its previous token no longer works',
  },
  'key.deleted': {
    subject: 'An API key was deleted',
    line: 'An API key was deleted; its token no longer works',
  },
  'key.revoked_leak': {
    subject: 'An API key was revoked because its token leaked',
    line: 'The token of an API key was found in public and reported to Latchkey. The key was deleted at once, so the token no longer works',
  },
};

/** A leaked grace-period token ends only that token: the key and its current token stay. */
const PREVIOUS_TOKEN_LEAK_WORDS = {
  subject: "An API key's previous token was revoked because it leaked",
  line:
    'The previous token of an API key, still accepted during the grace period of its last rotation, ' +
    'was found in public and reported to Latchkey. Its grace period was ended at once, so that token ' +
    'no longer works; the key and its current token are unchanged',
};

/** Names the key, who acted and from where; never a token. */
export function securityMail(account: Account, event: AuditEvent): MailMessage {
  const previousLeaked = event.type === 'key.revoked_leak' && event.details?.revokedToken === 'previous';
  const words = previousLeaked
    ? PREVIOUS_TOKEN_LEAK_WORDS
    : (MAIL_WORDS[event.type] ?? { subject: `Latchkey: ${event.type}`, line: event.type });
  const lines = [
    `${words.line}.`,
    '',
    `Key: ${event.keyName ?? ''} (${event.keyId ?? ''})`,
    `When: ${event.occurredAt}`,
  ];
  if (event.member !== null) lines.push(`By: ${event.member.email ?? event.member.userId}`);
  if (event.source.ip !== null) lines.push(`From: ${event.source.ip}`);
  if (event.type === 'key.revoked_leak') {
    const where = event.details?.url;
    lines.push(
      `Found at: ${typeof where === 'string' && where !== '' ? where : 'not given by the reporter'}`,
    );
    const source = event.details?.source;
    if (typeof source === 'string' && source !== '') lines.push(`Found in: ${source}`);
    lines.push(
      '',
      ...(previousLeaked
        ? [
            'Services still on the old token must switch to the current one now; remove the old token',
            'from where it was found (and from its history).',
          ]
        : [
            'Generate a replacement key with the same permissions, update the services that used the old',
            'one, and remove the token from where it was found (and from its history).',
          ]),
    );
  } else {
    lines.push(
      '',
      "If this was not you or your team, sign in and review the account's API keys and activity now.",
    );
  }
  return { to: account.email, subject: `Latchkey: ${words.subject}`, text: lines.join('\n') };
}
