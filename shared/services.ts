import { dynamoDocumentClient, kmsClient, sesClient } from './adapters/aws-clients';
import { countingDecryptFailures } from './adapters/counted-decrypter';
import { DynamoAccountStore } from './adapters/dynamo-account-store';
import { DynamoKeyStore } from './adapters/dynamo-key-store';
import { DynamoVerificationStore } from './adapters/dynamo-verification-store';
import { KmsDataKeyDecrypter } from './adapters/kms-data-key-decrypter';
import { LocalKeyProvider } from './adapters/local-key-provider';
import { SesMailer } from './adapters/ses-mailer';
import { optionalEnv, requireEnv, SETTINGS } from './config';
import { KeyLifecycle, VerificationCodeSender } from './domain/key-lifecycle';
import { type DataKeyDecrypter, PepperRing, parsePepperConfig } from './domain/pepper';
import type { AccountStore, KeyStore, Mailer, VerificationStore } from './domain/ports';
import { VerificationService } from './domain/verifications';
import { countMetric, METRICS } from './metrics';

/**
 * The composition root: configuration picks the adapters, once per process. Handlers call these at
 * module scope, so a missing setting fails the cold start with the setting's name. Swapping local
 * for AWS is configuration here, never a branch in a handler.
 */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

export const tableName = once(() => requireEnv(SETTINGS.tableName));

export const keyStore = once((): KeyStore => new DynamoKeyStore(dynamoDocumentClient(), tableName()));

export const accountStore = once(
  (): AccountStore => new DynamoAccountStore(dynamoDocumentClient(), tableName()),
);

export const dataKeyDecrypter = once((): DataKeyDecrypter => {
  const provider = optionalEnv(SETTINGS.keyProvider) ?? 'kms';
  if (provider === 'kms') {
    return countingDecryptFailures(
      new KmsDataKeyDecrypter(kmsClient(), optionalEnv(SETTINGS.pepperKmsKeyId)),
    );
  }
  if (provider === 'local') {
    return new LocalKeyProvider(Buffer.from(requireEnv(SETTINGS.localMasterKey), 'base64'));
  }
  throw new Error(`${SETTINGS.keyProvider} must be "kms" or "local", not "${provider}"`);
});

export const pepperRing = once(
  () => new PepperRing(parsePepperConfig(requireEnv(SETTINGS.peppers)), dataKeyDecrypter()),
);

export const verificationStore = once(
  (): VerificationStore => new DynamoVerificationStore(dynamoDocumentClient(), tableName()),
);

export const verificationService = once(
  () =>
    new VerificationService({
      store: verificationStore(),
      hasher: pepperRing(),
      onMemberLocked: () => countMetric(METRICS.membersLocked),
    }),
);

/** Only the function that sends codes needs (and requires) the mail settings. */
export const mailer = once(
  (): Mailer =>
    new SesMailer(sesClient(), requireEnv(SETTINGS.mailFrom), optionalEnv(SETTINGS.sesConfigurationSet)),
);

export const keyLifecycle = once(
  () =>
    new KeyLifecycle({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      hasher: pepperRing(),
    }),
);

export const verificationCodeSender = once(
  () =>
    new VerificationCodeSender({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      mailer: mailer(),
    }),
);
