import { DecryptCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DependencyError } from '../domain/errors';
import type { DataKeyDecrypter } from '../domain/pepper';

/** Decrypts the pepper data key with KMS. Called once per pepper version per cold start. */
export class KmsDataKeyDecrypter implements DataKeyDecrypter {
  constructor(
    private readonly client: KMSClient,
    /** When set, KMS refuses ciphertext made under any other key. */
    private readonly keyId?: string,
  ) {}

  async decryptDataKey(
    ciphertext: Uint8Array,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    try {
      const { Plaintext } = await this.client.send(
        new DecryptCommand({
          CiphertextBlob: ciphertext,
          EncryptionContext: { ...encryptionContext },
          ...(this.keyId === undefined ? {} : { KeyId: this.keyId }),
        }),
      );
      if (Plaintext === undefined || Plaintext.length < 32) {
        throw new DependencyError('KMS returned no usable plaintext for the pepper');
      }
      return Plaintext;
    } catch (error) {
      if (error instanceof DependencyError) throw error;
      // KMS error names (AccessDenied, InvalidCiphertext, throttling) stay in the cause, never in a response.
      throw new DependencyError('Could not decrypt the pepper with KMS', { cause: error });
    }
  }
}
