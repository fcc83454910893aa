import { DependencyError } from '../domain/errors';
import type { DataKeyDecrypter } from '../domain/pepper';
import {
  type SdkTransport,
  regionalEndpoint as serviceEndpoint,
  signedJsonRequest,
} from './signed-json-request';

/**
 * KMS Decrypt through KMS's JSON protocol (`TrentService.Decrypt`), signed with SigV4, sent over the
 * process's signed-call transport (env-transport.ts; any SDK client's config also serves). A function
 * decrypts one pepper per cold start, and @aws-sdk/client-kms would add about 30 KB (every KMS error
 * class and schema, registered at load) to every bundle that hashes or verifies tokens. One attempt,
 * no retries: a failure fails the request closed (500) and PepperRing retries the decrypt on the
 * next request.
 */
export class KmsJsonDecrypter implements DataKeyDecrypter {
  constructor(
    private readonly transport: SdkTransport,
    /** When set, KMS refuses ciphertext made under any other key. */
    private readonly keyId: string | undefined,
    /** The standard `AWS_ENDPOINT_URL_KMS` override; otherwise the regional endpoint. */
    private readonly endpoint: string | undefined,
  ) {}

  async decryptDataKey(
    ciphertext: Uint8Array,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array> {
    let status: number;
    let reply: unknown;
    try {
      ({ status, json: reply } = await signedJsonRequest(this.transport, {
        service: 'kms',
        endpointPrefix: 'kms',
        endpoint: this.endpoint,
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.Decrypt' },
        body: {
          CiphertextBlob: Buffer.from(ciphertext).toString('base64'),
          EncryptionContext: { ...encryptionContext },
          ...(this.keyId === undefined ? {} : { KeyId: this.keyId }),
        },
      }));
    } catch (error) {
      throw new DependencyError('Could not reach KMS to decrypt the pepper', { cause: error });
    }
    const fields = typeof reply === 'object' && reply !== null ? (reply as Record<string, unknown>) : {};
    if (status !== 200) {
      // KMS error names (AccessDenied, InvalidCiphertext, throttling) stay in the cause, never in a response.
      const type = String(fields.__type ?? fields.code ?? `HTTP ${status}`)
        .split('#')
        .pop();
      throw new DependencyError('Could not decrypt the pepper with KMS', { cause: new Error(type) });
    }
    const plaintext =
      typeof fields.Plaintext === 'string' ? Buffer.from(fields.Plaintext, 'base64') : undefined;
    if (plaintext === undefined || plaintext.length < 32) {
      throw new DependencyError('KMS returned no usable plaintext for the pepper');
    }
    return plaintext;
  }
}

/** KMS's regional endpoint; the China regions live under their own DNS suffix. */
export function regionalEndpoint(region: string): string {
  return serviceEndpoint('kms', region);
}
