import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';
import * as z from 'zod/mini';
import './zod-messages';

/** `PUT /v1/account/webhook`'s body. */
export const putWebhookSchema = z.strictObject({ url: z.string().check(z.minLength(1), z.maxLength(2000)) });

/**
 * Webhooks signed per the Standard Webhooks scheme (standardwebhooks.com): each delivery carries
 * `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, which is
 * `v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>">` under the secret's bytes. The secret is
 * `whsec_` followed by base64 of 32 random bytes, so any Standard Webhooks library verifies it.
 */
export const WEBHOOK_SECRET_PREFIX = 'whsec_';
/** How far a receiver lets a timestamp drift before refusing it as a replay. */
export const WEBHOOK_TOLERANCE_SECONDS = 5 * 60;

export function newWebhookSecret(): string {
  return WEBHOOK_SECRET_PREFIX + randomBytes(32).toString('base64');
}

function secretBytes(secret: string): Buffer {
  if (!secret.startsWith(WEBHOOK_SECRET_PREFIX)) throw new Error('A webhook secret starts with whsec_');
  return Buffer.from(secret.slice(WEBHOOK_SECRET_PREFIX.length), 'base64');
}

export interface SignedWebhook {
  readonly headers: {
    readonly 'webhook-id': string;
    readonly 'webhook-timestamp': string;
    readonly 'webhook-signature': string;
  };
  readonly body: string;
}

export function signWebhook(
  secret: string,
  messageId: string,
  timestampSeconds: number,
  body: string,
): SignedWebhook {
  const timestamp = String(Math.floor(timestampSeconds));
  const mac = createHmac('sha256', secretBytes(secret))
    .update(`${messageId}.${timestamp}.${body}`, 'utf8')
    .digest('base64');
  return {
    headers: { 'webhook-id': messageId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${mac}` },
    body,
  };
}

/**
 * What a receiver does: recompute the MAC, compare in constant time against each `v1,` signature
 * in the header (a sender rotating secrets may send several), and refuse stale timestamps.
 */
export function verifyWebhook(
  secret: string,
  headers: Readonly<Record<string, string | undefined>>,
  body: string,
  nowSeconds: number = Date.now() / 1000,
): boolean {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signatures = headers['webhook-signature'];
  if (id === undefined || timestamp === undefined || signatures === undefined) return false;
  if (!/^[0-9]+$/.test(timestamp)) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > WEBHOOK_TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(
    signWebhook(secret, id, Number(timestamp), body).headers['webhook-signature'].slice(3),
    'base64',
  );
  return signatures.split(' ').some((candidate) => {
    const [version, value] = candidate.split(',', 2);
    if (version !== 'v1' || value === undefined) return false;
    const given = Buffer.from(value, 'base64');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/**
 * Addresses a webhook may never reach in a deployed stack: the function's own network and the
 * cloud's metadata service must not be reachable by whoever registers a URL (SSRF).
 */
export function isForbiddenWebhookAddress(address: string, options: { allowLoopback: boolean }): boolean {
  const family = isIP(address);
  if (family === 4) return forbiddenIpv4(address, options.allowLoopback);
  if (family === 6) {
    const lower = address.toLowerCase();
    // IPv4-mapped addresses are judged as the IPv4 address they carry.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    if (mapped?.[1] !== undefined) return forbiddenIpv4(mapped[1], options.allowLoopback);
    if (lower === '::1') return !options.allowLoopback;
    if (lower === '::') return true;
    const first = Number.parseInt(lower.split(':')[0] ?? '0', 16);
    if ((first & 0xfe00) === 0xfc00) return true; // fc00::/7 unique local
    if ((first & 0xffc0) === 0xfe80) return true; // fe80::/10 link-local
    if ((first & 0xff00) === 0xff00) return true; // multicast
    return false;
  }
  return true;
}

function forbiddenIpv4(address: string, allowLoopback: boolean): boolean {
  const [a = 0, b = 0] = address.split('.').map(Number);
  if (a === 127) return !allowLoopback;
  return (
    a === 0 || // "this" network
    a === 10 ||
    (a === 100 && b >= 64 && b <= 127) || // carrier-grade NAT
    (a === 169 && b === 254) || // link-local, including the metadata service
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0) || // IETF protocol assignments
    (a === 198 && (b === 18 || b === 19)) || // benchmarking
    a >= 224 // multicast and reserved
  );
}

/**
 * A webhook URL as registered: https only in a deployed stack; plain http only to loopback, and only
 * where loopback is allowed (local mode). Names are resolved and checked again at every delivery.
 */
export function webhookUrlProblem(url: string, options: { allowLoopback: boolean }): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'url must be an absolute URL';
  }
  if (parsed.username !== '' || parsed.password !== '') return 'url must not carry credentials';
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const loopbackHost = host === 'localhost' || host === '::1' || /^127\./.test(host);
  if (
    parsed.protocol !== 'https:' &&
    !(parsed.protocol === 'http:' && options.allowLoopback && loopbackHost)
  ) {
    return 'url must use https';
  }
  if (host === 'localhost') return options.allowLoopback ? undefined : 'url must not point at this machine';
  if (isIP(host) !== 0 && isForbiddenWebhookAddress(host, options)) {
    return 'url must not point at a private, loopback or link-local address';
  }
  return undefined;
}
