import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { countingDecryptFailures } from '../../shared/adapters/counted-decrypter';
import { DynamoKeyStore } from '../../shared/adapters/dynamo-key-store';
import { KmsJsonDecrypter } from '../../shared/adapters/kms-json-decrypter';
import { LocalKeyProvider } from '../../shared/adapters/local-key-provider';
import { optionalEnv, requireEnv, SETTINGS } from '../../shared/config';
import { type DataKeyDecrypter, PepperRing, parsePepperConfig } from '../../shared/domain/pepper';
import type { KeyStore } from '../../shared/domain/ports';

/**
 * The authorizer's own small composition root. It makes the same choices as shared/services.ts
 * (same DynamoDB client, same settings, kms or local pepper provider) but imports only what the
 * authorizer needs: services.ts wires every store, the mailer and the lifecycle services, and its
 * module-scope wiring would keep them all in the authorizer's bundle, the one bundle whose size is
 * a target (at most 1.10 x a bare GetItem handler; `npm run bench` measures it).
 */
export function authorizerKeyStore(): KeyStore {
  return new DynamoKeyStore(dynamoDocumentClient(), requireEnv(SETTINGS.tableName));
}

export function authorizerPepperRing(): PepperRing {
  return new PepperRing(parsePepperConfig(requireEnv(SETTINGS.peppers)), pepperDecrypter());
}

function pepperDecrypter(): DataKeyDecrypter {
  const provider = optionalEnv(SETTINGS.keyProvider) ?? 'kms';
  if (provider === 'kms') {
    // KMS through the DynamoDB client's credentials and HTTP handler: see KmsJsonDecrypter for why.
    return countingDecryptFailures(
      new KmsJsonDecrypter(
        dynamoDocumentClient().config,
        optionalEnv(SETTINGS.pepperKmsKeyId),
        optionalEnv('AWS_ENDPOINT_URL_KMS') ?? optionalEnv('AWS_ENDPOINT_URL'),
      ),
    );
  }
  if (provider === 'local')
    return new LocalKeyProvider(Buffer.from(requireEnv(SETTINGS.localMasterKey), 'base64'));
  throw new Error(`${SETTINGS.keyProvider} must be "kms" or "local", not "${provider}"`);
}
