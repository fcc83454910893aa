import { randomBytes, randomUUID } from 'node:crypto';

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz';

/** A key id: 26 lowercase Crockford base32 characters, time-ordered (48-bit ms time, 80 random bits) like a ULID. */
export const KEY_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{26}$/;

export function newKeyId(now: Date = new Date()): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i++) {
    timePart = CROCKFORD.charAt(time % 32) + timePart;
    time = Math.floor(time / 32);
  }
  return timePart + encodeBase32(randomBytes(10));
}

/** Verification ids are unguessable but not secret: the code is the secret. */
export function newVerificationId(): string {
  return encodeBase32(randomBytes(15)).slice(0, 24);
}

export const VERIFICATION_ID_PATTERN = /^[0-9a-hjkmnp-tv-z]{24}$/;

/** Account ids are opaque and URL-safe. */
export function newAccountId(): string {
  return randomUUID();
}

export const ACCOUNT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += CROCKFORD.charAt((buffer >>> (bits - 5)) & 31);
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += CROCKFORD.charAt((buffer << (5 - bits)) & 31);
  return out;
}
