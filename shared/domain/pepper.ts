import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

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

  async hashToken(token: string): Promise<TokenDigest> {
    const pepper = await this.pepper(this.currentVersion);
    return { tokenHash: hmac(pepper, token), pepperVersion: this.currentVersion };
  }

  /** Constant-time check of a presented token against a stored digest. False for unknown versions. */
  async verifyToken(token: string, stored: TokenDigest): Promise<boolean> {
    if (!this.config.encryptedPeppers.has(stored.pepperVersion)) return false;
    const pepper = this.ready.get(stored.pepperVersion) ?? (await this.pepper(stored.pepperVersion));
    // The fresh digest stays bytes: only the stored one needs decoding before the comparison.
    const presented = createHmac('sha256', pepper).update(token, 'utf8').digest();
    const expected = Buffer.from(stored.tokenHash, 'base64url');
    return presented.length === expected.length && timingSafeEqual(presented, expected);
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

  holds(version: number): boolean {
    return this.config.encryptedPeppers.has(version);
  }

  /**
   * A 256-bit key for one purpose (HKDF-SHA-256, the purpose as its info), so a MAC made for one
   * purpose, such as page cursors, can never stand in for a token digest or another purpose's MAC.
   */
  async derivedKey(purpose: string, version: number): Promise<Uint8Array> {
    const pepper = await this.pepper(version);
    return new Uint8Array(hkdfSync('sha256', pepper, new Uint8Array(0), `latchkey:${purpose}`, 32));
  }

  /** Decrypts each version once per process; a failed decrypt is forgotten so the next call retries. */
  private pepper(version: number): Promise<Uint8Array> {
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
