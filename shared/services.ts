import { dynamoDocumentClient, kmsClient, sesClient } from './adapters/aws-clients';
import { countingDecryptFailures } from './adapters/counted-decrypter';
import { DynamoAccountStore } from './adapters/dynamo-account-store';
import { DynamoAuditLog } from './adapters/dynamo-audit-log';
import { DynamoExpiryIndex } from './adapters/dynamo-expiry-index';
import { DynamoKeyStore } from './adapters/dynamo-key-store';
import { DynamoVerificationStore } from './adapters/dynamo-verification-store';
import { DynamoWebhookStore } from './adapters/dynamo-webhook-store';
import { HttpWebhookSender } from './adapters/http-webhook-sender';
import { KmsDataKeyDecrypter } from './adapters/kms-data-key-decrypter';
import { LocalKeyProvider } from './adapters/local-key-provider';
import { SesMailer } from './adapters/ses-mailer';
import { optionalEnv, requireEnv, SETTINGS } from './config';
import { AuditEventFactory, type AuditLog, DEFAULT_AUDIT_RETENTION_DAYS } from './domain/audit-events';
import { ExpiryReminderJob } from './domain/expiry-reminders';
import { KeyLifecycle, VerificationCodeSender } from './domain/key-lifecycle';
import { LeakReportService, parseReporterKeys } from './domain/leak-reports';
import { SecurityNotifier, type WebhookStore } from './domain/notifications';
import { type DataKeyDecrypter, PepperRing, parsePepperConfig } from './domain/pepper';
import type { AccountStore, KeyStore, Mailer, VerificationStore } from './domain/ports';
import { VerificationService } from './domain/verifications';
import { logger } from './logger';
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

export const auditLog = once((): AuditLog => new DynamoAuditLog(dynamoDocumentClient(), tableName()));

/** Every writer stamps events with the same retention, read once here. */
export const auditEvents = once(() => {
  const days = optionalEnv(SETTINGS.auditRetentionDays);
  const retention = days === undefined ? DEFAULT_AUDIT_RETENTION_DAYS : Number(days);
  if (!Number.isInteger(retention) || retention < 1) {
    throw new Error(`${SETTINGS.auditRetentionDays} must be a whole number of days, not "${days}"`);
  }
  return new AuditEventFactory(retention);
});

export const verificationService = once(
  () =>
    new VerificationService({
      store: verificationStore(),
      hasher: pepperRing(),
      audit: auditLog(),
      events: auditEvents(),
      onMemberLocked: () => countMetric(METRICS.membersLocked),
    }),
);

export const webhookStore = once(
  (): WebhookStore => new DynamoWebhookStore(dynamoDocumentClient(), tableName(), pepperRing),
);

/** Loopback is a destination only where the setting says so: local mode, for its tests. */
export const webhooksAllowLoopback = once(() => optionalEnv(SETTINGS.webhooksAllowLoopback) === 'true');

/** Security mails and webhooks after a committed event; failures are logged without secrets. */
export const securityNotifier = once(
  () =>
    new SecurityNotifier({
      mailer: mailer(),
      accounts: accountStore(),
      webhooks: webhookStore(),
      sender: new HttpWebhookSender({ allowLoopback: webhooksAllowLoopback() }),
      onFailure: ({ channel, eventType, accountId, error }) =>
        logger.warn('notification not delivered', { channel, eventType, accountId }, error),
    }),
);

export const expiryReminderJob = once(
  () => new ExpiryReminderJob(new DynamoExpiryIndex(dynamoDocumentClient(), tableName()), securityNotifier()),
);

/** The trusted reporter keys; none configured means no report is heard. */
export const leakReporterKeys = once(() => {
  const json = optionalEnv(SETTINGS.leakReporterKeys);
  return json === undefined ? [] : parseReporterKeys(json, SETTINGS.leakReporterKeys);
});

export const leakReportService = once(
  () =>
    new LeakReportService({
      keys: keyStore(),
      tokens: pepperRing(),
      events: auditEvents(),
      notifier: securityNotifier(),
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
      events: auditEvents(),
      notifier: securityNotifier(),
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
