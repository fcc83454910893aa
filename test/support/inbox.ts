import { rememberSecret } from './log-capture';

/**
 * Reads the local SES inbox the way a user reads their mail: the newest message to an address, and
 * the 6-digit code in it. Every code read is remembered, so the file's log check covers it.
 */
export interface ReceivedEmail {
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly at: number;
}

interface StoreResponse {
  emails: { destination?: { to?: string[] }; subject?: string; body?: { text?: string }; at?: number }[];
}

export async function emailsTo(address: string): Promise<ReceivedEmail[]> {
  const base = process.env.LATCHKEY_SES_LOCAL_URL;
  if (base === undefined)
    throw new Error('LATCHKEY_SES_LOCAL_URL is not set: is test/support/setup.ts loaded?');
  const response = await fetch(`${base}/store`);
  if (!response.ok) throw new Error(`The local SES store answered ${response.status}`);
  const store = (await response.json()) as StoreResponse;
  return store.emails
    .map((email) => ({
      to: email.destination?.to ?? [],
      subject: email.subject ?? '',
      text: email.body?.text ?? '',
      at: email.at ?? 0,
    }))
    .filter((email) => email.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

export async function latestEmailTo(address: string): Promise<ReceivedEmail> {
  const emails = await emailsTo(address);
  const latest = emails.at(-1);
  if (latest === undefined) throw new Error(`No email was sent to ${address}`);
  return latest;
}

/** The code in the newest mail to `address`; fails the test if there is none. */
export async function latestCodeFor(address: string): Promise<string> {
  const { text } = await latestEmailTo(address);
  const match = /verification code: (\d{6})/.exec(text);
  if (match?.[1] === undefined) throw new Error(`The newest email to ${address} holds no code`);
  rememberSecret(match[1]);
  return match[1];
}
