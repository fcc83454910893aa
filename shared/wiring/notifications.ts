import { dynamoDocumentClient } from '../adapters/aws-clients';
import { DynamoExpiryIndex } from '../adapters/dynamo-expiry-index';
import { DynamoWebhookStore } from '../adapters/dynamo-webhook-store';
import { HttpWebhookSender } from '../adapters/http-webhook-sender';
import { optionalEnv, SETTINGS } from '../config';
import { ExpiryReminderJob } from '../domain/expiry-reminders';
import { SecurityNotifier, type WebhookStore } from '../domain/notifications';
import { logger } from '../logger';
import { mailer } from './mail';
import { once } from './once';
import { pepperVault } from './pepper';
import { accountStore } from './stores';
import { tableName } from './table';

/** Security mails and webhooks after a committed event, and the expiry reminders that use them. */
export const webhookStore = /* @__PURE__ */ once(
  (): WebhookStore => new DynamoWebhookStore(dynamoDocumentClient(), tableName(), pepperVault),
);

/** Loopback is a destination only where the setting says so: local mode, for its tests. */
export const webhooksAllowLoopback = /* @__PURE__ */ once(
  () => optionalEnv(SETTINGS.webhooksAllowLoopback) === 'true',
);

/** Failures are logged without secrets. */
export const securityNotifier = /* @__PURE__ */ once(
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

export const expiryReminderJob = /* @__PURE__ */ once(
  () => new ExpiryReminderJob(new DynamoExpiryIndex(dynamoDocumentClient(), tableName()), securityNotifier()),
);
