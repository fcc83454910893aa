import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens are stored only as HMAC-SHA-256 under a server secret, the pepper. The pepper itself is a
 * data key kept encrypted under KMS (or, locally, the local key provider): a copy of the table
 * without KMS access is useless for checking guesses.
 */
export interface DataKeyDecrypter {
  /** Decrypts an encrypted data key bound to the given encryption context. */
  decryptDataKey(
    ciphertext: Uint8Array,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array>;
}

export interface PepperConfig {
  /** Encrypted pepper per version. The highest version hashes new tokens; older ones still verify. */
  readonly encryptedPeppers: ReadonlyMap<number, Uint8Array>;
}

export interface TokenDigest {
  readonly tokenHash: string;
  readonly pepperVersion: number;
}

/** The encryption context every pepper is bound to; IAM conditions in the stack match it. */
export function pepperEncryptionContext(version: number): Record<string, string> {
  return { purpose: 'latchkey-token-pepper', pepperVersion: String(version) };
}

/**
 * The peppers and what the authorizer does with them: decrypt each version once, verify a token
 * against a stored digest. Hashing new tokens, sealing secrets and deriving keys live in
 * PepperVault (pepper-vault.ts), so the authorizer's bundle carries none of that code.
 */
export class PepperRing {
  readonly currentVersion: number;
  private readonly plaintext = new Map<number, Promise<Uint8Array>>();
  /** The decrypted peppers, so a warm verification does not wait on a settled promise. */
  private readonly ready = new Map<number, Uint8Array>();

  constructor(
    private readonly config: PepperConfig,
    private readonly decrypter: DataKeyDecrypter,
  ) {
    const versions = [...config.encryptedPeppers.keys()];
    if (versions.length === 0) throw new Error('PepperRing needs at least one pepper version');
    this.currentVersion = Math.max(...versions);
  }

  /** Starts decrypting every version now (a cold start), without waiting; failures are retried on use. */
  prepare(): void {
    for (const version of this.config.encryptedPeppers.keys()) {
      this.pepper(version).catch(() => {});
    }
  }

  /** Constant-time check of a presented token against a stored digest. False for unknown versions. */
  async verifyToken(token: string, stored: TokenDigest): Promise<boolean> {
    if (!this.holds(stored.pepperVersion)) return false;
    const pepper = this.ready.get(stored.pepperVersion) ?? (await this.pepper(stored.pepperVersion));
    // The fresh digest stays bytes: only the stored one needs decoding before the comparison.
    const presented = createHmac('sha256', pepper).update(token, 'utf8').digest();
    const expected = Buffer.from(stored.tokenHash, 'base64url');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  }

  /** Whether this version is configured (older digests and cursors name the version they used). */
  holds(version: number): boolean {
    return this.config.encryptedPeppers.has(version);
  }

  /** Decrypts each version once per process; a failed decrypt is forgotten so the next call retries. */
  protected pepper(version: number): Promise<Uint8Array> {
    const cached = this.plaintext.get(version);
    if (cached !== undefined) return cached;
    const encrypted = this.config.encryptedPeppers.get(version);
    if (encrypted === undefined) return Promise.reject(new Error(`No pepper version ${version}`));
    const pending = this.decrypter.decryptDataKey(encrypted, pepperEncryptionContext(version));
    this.plaintext.set(version, pending);
    pending.then(
      (pepper) => this.ready.set(version, pepper),
      () => this.plaintext.delete(version),
    );
    return pending;
  }
}

/** Parses `LATCHKEY_PEPPERS`-style config: a JSON object of version -> base64 ciphertext. */
export function parsePepperConfig(json: string): PepperConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error('LATCHKEY_PEPPERS must be a JSON object of version to base64 ciphertext');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('LATCHKEY_PEPPERS must be a JSON object of version to base64 ciphertext');
  }
  const encryptedPeppers = new Map<number, Uint8Array>();
  for (const [version, ciphertext] of Object.entries(parsed)) {
    const n = Number(version);
    if (!Number.isInteger(n) || n < 1 || typeof ciphertext !== 'string' || ciphertext.length === 0) {
      throw new Error(`LATCHKEY_PEPPERS has an invalid entry for version "${version}"`);
    }
    encryptedPeppers.set(n, Buffer.from(ciphertext, 'base64'));
  }
  if (encryptedPeppers.size === 0) throw new Error('LATCHKEY_PEPPERS must hold at least one version');
  return { encryptedPeppers };
}
