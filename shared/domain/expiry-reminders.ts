import type { Account } from './accounts';
import type { MailMessage } from './ports';

/**
 * Expiry reminders: a scheduled job mails the account 7 days and 1 day before a key's `expiresAt`
 * (and tells its webhook). It reads only keys that expire, from a sparse index, never a scan. Each
 * reminder is claimed on the key with one conditional write before it is sent, so a job that runs
 * twice, or two that overlap, send it once; a new expiry date earns new reminders.
 */
export type ReminderKind = '7d' | '1d';

export const DAY_MS = 86_400_000;

export interface ExpiringKey {
  readonly keyId: string;
  readonly accountId: string;
  readonly name: string;
  /** ISO-8601 UTC. */
  readonly expiresAt: string;
  /** The `expiresAt` each reminder was last sent for. */
  readonly reminded7d?: string | undefined;
  readonly reminded1d?: string | undefined;
}

export interface ExpiryIndex {
  /** Keys whose `expiresAt` is in (from, to], from the sparse index only. */
  expiringBetween(from: Date, to: Date): Promise<ExpiringKey[]>;
  /**
   * Marks the reminder sent for this expiry, only if the key still expires then and the reminder
   * was not sent for it yet. Returns whether this caller claimed it.
   */
  claimReminder(key: ExpiringKey, kind: ReminderKind): Promise<boolean>;
  /** Gives a claim back when the mail could not be sent, so the next run tries again. */
  releaseReminder(key: ExpiringKey, kind: ReminderKind): Promise<void>;
}

/** What the job needs of the notifier: a mail to the account and the webhook. */
export interface ReminderChannels {
  mail(accountId: string, type: 'key.expiring', compose: (account: Account) => MailMessage): Promise<boolean>;
  webhook(accountId: string, type: 'key.expiring', messageId: string, data: unknown): Promise<void>;
}

/** Which reminder a key is due, if any: the 1-day one inside the last day, else the 7-day one. */
export function dueReminder(key: ExpiringKey, now: Date): ReminderKind | undefined {
  const left = Date.parse(key.expiresAt) - now.getTime();
  if (!(left > 0) || left > 7 * DAY_MS) return undefined;
  if (left <= DAY_MS) return key.reminded1d === key.expiresAt ? undefined : '1d';
  return key.reminded7d === key.expiresAt ? undefined : '7d';
}

export class ExpiryReminderJob {
  constructor(
    private readonly index: ExpiryIndex,
    private readonly channels: ReminderChannels,
  ) {}

  async run(now: Date): Promise<{ considered: number; sent: number }> {
    const keys = await this.index.expiringBetween(now, new Date(now.getTime() + 7 * DAY_MS));
    let sent = 0;
    for (const key of keys) {
      const kind = dueReminder(key, now);
      if (kind === undefined || !(await this.index.claimReminder(key, kind))) continue;
      const mailed = await this.channels.mail(key.accountId, 'key.expiring', (account) =>
        reminderMail(account, key, kind),
      );
      if (!mailed) {
        await this.index.releaseReminder(key, kind);
        continue;
      }
      sent += 1;
      await this.channels.webhook(key.accountId, 'key.expiring', `${key.keyId}_${kind}_${key.expiresAt}`, {
        keyId: key.keyId,
        keyName: key.name,
        expiresAt: key.expiresAt,
        reminder: kind,
      });
    }
    return { considered: keys.length, sent };
  }
}

export function reminderMail(account: Account, key: ExpiringKey, kind: ReminderKind): MailMessage {
  const when = kind === '1d' ? 'within a day' : 'within 7 days';
  return {
    to: account.email,
    subject: `Latchkey: an API key expires ${when}`,
    text: [
      `The API key "${key.name}" (${key.keyId}) expires at ${key.expiresAt}.`,
      'After that the authorizer refuses its token.',
      '',
      'To keep the services that use it working, generate a replacement (or edit the key to give it a',
      'later expiry) and update them before then.',
    ].join('\n'),
  };
}
