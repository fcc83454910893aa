import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { DependencyError } from '../domain/errors';
import type { DataKeyDecrypter } from '../domain/pepper';

/**
 * The local stand-in for KMS: a 256-bit master key (kept in the local data folder) wraps data keys
 * with AES-256-GCM, the encryption context bound in as additional authenticated data, as KMS binds
 * it. It implements the same port as the KMS adapter, so nothing above it knows which one it has.
 */
const FORMAT_VERSION = 1;
const IV_BYTES = 12;
const TAG_BYTES = 16;

export class LocalKeyProvider implements DataKeyDecrypter {
  constructor(private readonly masterKey: Uint8Array) {
    if (masterKey.length !== 32) throw new Error('The local master key must be 32 bytes');
  }

  static newMasterKey(): Uint8Array {
    return randomBytes(32);
  }

  /** Like KMS GenerateDataKeyWithoutPlaintext: a fresh 256-bit data key, returned only encrypted. */
  generateDataKeyWithoutPlaintext(encryptionContext: Readonly<Record<string, string>>): Uint8Array {
    return this.encrypt(randomBytes(32), encryptionContext);
  }

  encrypt(plaintext: Uint8Array, encryptionContext: Readonly<Record<string, string>>): Uint8Array {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.masterKey, iv);
    cipher.setAAD(contextBytes(encryptionContext));
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return Buffer.concat([Buffer.from([FORMAT_VERSION]), iv, cipher.getAuthTag(), body]);
  }

  async decryptDataKey(
    ciphertext: Uint8Array,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    const blob = Buffer.from(ciphertext);
    if (blob.length <= 1 + IV_BYTES + TAG_BYTES || blob[0] !== FORMAT_VERSION) {
      throw new DependencyError('The local key provider cannot read this ciphertext');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.masterKey, blob.subarray(1, 1 + IV_BYTES));
      decipher.setAAD(contextBytes(encryptionContext));
      decipher.setAuthTag(blob.subarray(1 + IV_BYTES, 1 + IV_BYTES + TAG_BYTES));
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new DependencyError('The local key provider refused to decrypt (wrong key or context)', {
        cause: error,
      });
    }
  }
}

function contextBytes(encryptionContext: Readonly<Record<string, string>>): Buffer {
  const sorted = Object.keys(encryptionContext)
    .sort()
    .map((k) => [k, encryptionContext[k]]);
  return Buffer.from(JSON.stringify(sorted), 'utf8');
}
