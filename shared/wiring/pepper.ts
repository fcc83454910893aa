import { countingDecryptFailures } from '../adapters/counted-decrypter';
import { dynamoClient } from '../adapters/dynamo-client';
import { KmsJsonDecrypter } from '../adapters/kms-json-decrypter';
import { LocalKeyProvider } from '../adapters/local-key-provider';
import { optionalEnv, requireEnv, SETTINGS } from '../config';
import { type DataKeyDecrypter, PepperRing, parsePepperConfig } from '../domain/pepper';
import { once } from './once';

/**
 * Who decrypts the pepper, chosen here and only here: KMS in AWS, the local key provider in local
 * mode and tests. KMS is reached through KmsJsonDecrypter, which borrows the DynamoDB client's
 * credentials and HTTP stack, so no function that only decrypts the pepper bundles the KMS client.
 */
export const dataKeyDecrypter = /* @__PURE__ */ once((): DataKeyDecrypter => {
  const provider = optionalEnv(SETTINGS.keyProvider) ?? 'kms';
  if (provider === 'kms') {
    return countingDecryptFailures(
      new KmsJsonDecrypter(
        dynamoClient().config,
        optionalEnv(SETTINGS.pepperKmsKeyId),
        optionalEnv('AWS_ENDPOINT_URL_KMS') ?? optionalEnv('AWS_ENDPOINT_URL'),
      ),
    );
  }
  if (provider === 'local') {
    return new LocalKeyProvider(Buffer.from(requireEnv(SETTINGS.localMasterKey), 'base64'));
  }
  throw new Error(`${SETTINGS.keyProvider} must be "kms" or "local", not "${provider}"`);
});

export const pepperRing = /* @__PURE__ */ once(
  () => new PepperRing(parsePepperConfig(requireEnv(SETTINGS.peppers)), dataKeyDecrypter()),
);
