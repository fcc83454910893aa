import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { PepperRing, type TokenDigest } from './pepper';

/**
 * The pepper for the management functions: everything PepperRing does, plus hashing new tokens and
 * codes, sealing secrets Latchkey must read back, and deriving keys for other purposes.
 */
export class PepperVault extends PepperRing {
  async hashToken(token: string): Promise<TokenDigest> {
    const pepper = await this.pepper(this.currentVersion);
    return { tokenHash: hmac(pepper, token), pepperVersion: this.currentVersion };
  }

  /**
   * Encrypts a secret Latchkey must read back (a webhook signing secret) with AES-256-GCM under a
   * key derived from the current pepper, so the table holds it only as ciphertext that is useless
   * without KMS, like a token's digest.
   */
  async seal(secret: string, purpose: string): Promise<SealedSecret> {
    const key = sealingKey(await this.pepper(this.currentVersion), purpose);
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    return {
      sealed: Buffer.concat([iv, body, cipher.getAuthTag()]).toString('base64url'),
      pepperVersion: this.currentVersion,
    };
  }

  async open(sealed: SealedSecret, purpose: string): Promise<string> {
    const key = sealingKey(await this.pepper(sealed.pepperVersion), purpose);
    const bytes = Buffer.from(sealed.sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, 12));
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    return Buffer.concat([decipher.update(bytes.subarray(12, bytes.length - 16)), decipher.final()]).toString(
      'utf8',
    );
  }

  /**
   * A 256-bit key for one purpose (HKDF-SHA-256, the purpose as its info), so a MAC made for one
   * purpose, such as page cursors, can never stand in for a token digest or another purpose's MAC.
   */
  async derivedKey(purpose: string, version: number): Promise<Uint8Array> {
    const pepper = await this.pepper(version);
    return new Uint8Array(hkdfSync('sha256', pepper, new Uint8Array(0), `latchkey:${purpose}`, 32));
  }
}

export interface SealedSecret {
  readonly sealed: string;
  readonly pepperVersion: number;
}

/** One key per purpose, so a sealed value can never be opened as another kind of secret. */
function sealingKey(pepper: Uint8Array, purpose: string): Buffer {
  return createHmac('sha256', pepper).update(`latchkey-sealing-key:${purpose}`, 'utf8').digest();
}

export function hmac(key: Uint8Array, message: string): string {
  return createHmac('sha256', key).update(message, 'utf8').digest('base64url');
}

/** Constant-time comparison of two base64url digests; a length mismatch is a plain false. */
export function digestsEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'base64url');
  const right = Buffer.from(b, 'base64url');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}
