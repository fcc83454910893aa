import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalKms } from '../../../bench/local-kms';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { KmsJsonDecrypter, regionalEndpoint } from '../../../shared/adapters/kms-json-decrypter';
import { pepperEncryptionContext } from '../../../shared/domain/pepper';

// The authorizer's hand-made KMS Decrypt must be indistinguishable, on the wire, from what the AWS
// SDK's own KMSClient sends for the same input: both go to the same recording KMS stand-in here.
const kms = await startLocalKms();
afterAll(() => kms.close());

describe('KmsJsonDecrypter', () => {
  it('sends the same Decrypt request as @aws-sdk/client-kms and reads the same plaintext back', async () => {
    const context = pepperEncryptionContext(3);
    const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(context);
    const keyId = 'arn:aws:kms:us-east-1:000000000000:key/pepper';

    const sdk = new KMSClient({ endpoint: kms.endpoint, maxAttempts: 1 });
    const fromSdk = await sdk.send(
      new DecryptCommand({ CiphertextBlob: ciphertext, EncryptionContext: context, KeyId: keyId }),
    );
    sdk.destroy();
    const fromJson = await new KmsJsonDecrypter(
      dynamoDocumentClient().config,
      keyId,
      kms.endpoint,
    ).decryptDataKey(ciphertext, context);

    const [sdkRequest, jsonRequest] = kms.requests.slice(-2);
    expect(jsonRequest?.target).toBe(sdkRequest?.target);
    expect(jsonRequest?.body).toEqual(sdkRequest?.body);
    expect(jsonRequest?.authorization?.split(' ')[0]).toBe(sdkRequest?.authorization?.split(' ')[0]);
    expect(jsonRequest?.authorization).toMatch(/Credential=local\/\d{8}\/us-east-1\/kms\/aws4_request/);
    expect(Buffer.from(fromJson)).toEqual(Buffer.from(fromSdk.Plaintext ?? new Uint8Array()));
    expect(fromJson).toHaveLength(32);
  });

  it('turns a KMS refusal into a DependencyError that names no secret', async () => {
    const context = pepperEncryptionContext(1);
    const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(context);
    kms.failNext(1);
    const decrypter = new KmsJsonDecrypter(dynamoDocumentClient().config, undefined, kms.endpoint);
    await expect(decrypter.decryptDataKey(ciphertext, context)).rejects.toMatchObject({
      name: 'DependencyError',
      message: 'Could not decrypt the pepper with KMS',
    });
    // A context other than the one the key was made under is refused, as KMS refuses it.
    await expect(decrypter.decryptDataKey(ciphertext, pepperEncryptionContext(2))).rejects.toMatchObject({
      name: 'DependencyError',
    });
  });

  it('finds the regional KMS endpoint in the commercial, GovCloud and China partitions', () => {
    expect(regionalEndpoint('eu-west-1')).toBe('https://kms.eu-west-1.amazonaws.com');
    expect(regionalEndpoint('us-gov-west-1')).toBe('https://kms.us-gov-west-1.amazonaws.com');
    expect(regionalEndpoint('cn-north-1')).toBe('https://kms.cn-north-1.amazonaws.com.cn');
  });
});
