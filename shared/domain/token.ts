import { randomBytes } from 'node:crypto';
import { crc32 } from 'node:zlib';

/**
 * Token format: `lk_<keyId>_<secret><checksum>`.
 * - `lk_` says what it is, so secret scanners and humans recognise a Latchkey token.
 * - `<keyId>` (26 chars) finds the key record with one GetItem.
 * - `<secret>` is 256 bits from the CSPRNG, base62, always 43 characters.
 * - `<checksum>` is CRC32 of everything before it, base62, 6 characters: a typo, truncation or
 *   bit flip is refused without touching the table, and scanners can confirm a match offline.
 * The checksum is not a MAC: it proves nothing about authenticity, only well-formedness.
 */
export const TOKEN_PREFIX = 'lk_';
const SECRET_LENGTH = 43;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
export const TOKEN_PATTERN = /^lk_([0-9a-hjkmnp-tv-z]{26})_([0-9A-Za-z]{49})$/;
export const TOKEN_LENGTH = TOKEN_PREFIX.length + 26 + 1 + SECRET_LENGTH + CHECKSUM_LENGTH;

export interface ParsedToken {
  readonly keyId: string;
  /** The whole token; it is what gets hashed. */
  readonly token: string;
}

export function generateToken(keyId: string): string {
  const secret = toBase62(randomBytes(32), SECRET_LENGTH);
  const body = `${TOKEN_PREFIX}${keyId}_${secret}`;
  return body + checksumOf(body);
}

/** Returns undefined for anything that is not a well-formed token with a valid checksum. Never throws. */
export function parseToken(candidate: unknown): ParsedToken | undefined {
  if (typeof candidate !== 'string' || candidate.length !== TOKEN_LENGTH) return undefined;
  const match = TOKEN_PATTERN.exec(candidate);
  if (match === null) return undefined;
  const keyId = match[1];
  if (keyId === undefined) return undefined;
  const body = candidate.slice(0, TOKEN_LENGTH - CHECKSUM_LENGTH);
  if (checksumOf(body) !== candidate.slice(TOKEN_LENGTH - CHECKSUM_LENGTH)) return undefined;
  return { keyId, token: candidate };
}

/**
 * CRC32 as 6 base62 digits. The CRC is an unsigned 32-bit number, so plain number arithmetic is
 * exact here; it runs on every verification (the secret's BigInt path runs only when a token is made).
 */
function checksumOf(body: string): string {
  let n = crc32(body) >>> 0;
  let out = '';
  for (let i = 0; i < CHECKSUM_LENGTH; i++) {
    out = BASE62.charAt(n % 62) + out;
    n = Math.floor(n / 62);
  }
  return out;
}

function toBase62(bytes: Uint8Array, width: number): string {
  let n = 0n;
  for (const byte of bytes) n = (n << 8n) | BigInt(byte);
  let out = '';
  while (n > 0n) {
    out = BASE62.charAt(Number(n % 62n)) + out;
    n /= 62n;
  }
  return out.padStart(width, '0');
}
