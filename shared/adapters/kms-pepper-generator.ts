import { GenerateDataKeyWithoutPlaintextCommand, type KMSClient } from '@aws-sdk/client-kms';
import { DependencyError } from '../domain/errors';

/**
 * Makes a new pepper at deploy time: a 256-bit data key that KMS returns only encrypted, so its
 * plaintext never leaves KMS until a function decrypts it in memory.
 */
export class KmsPepperGenerator {
  constructor(private readonly client: KMSClient) {}

  async generateEncryptedPepper(
    keyId: string,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    const { CiphertextBlob } = await this.client.send(
      new GenerateDataKeyWithoutPlaintextCommand({
        KeyId: keyId,
        KeySpec: 'AES_256',
        EncryptionContext: { ...encryptionContext },
      }),
    );
    if (CiphertextBlob === undefined || CiphertextBlob.length === 0) {
      throw new DependencyError('KMS returned no ciphertext for the new pepper');
    }
    return CiphertextBlob;
  }
}
