import { dynamoClient } from '../adapters/dynamo-client';
import { SesMailer } from '../adapters/ses-mailer';
import { optionalEnv, requireEnv, SETTINGS } from '../config';
import type { Mailer } from '../domain/ports';
import { once } from './once';

/** The mailer; only functions that mail need (and require) the mail settings. */
export const mailer = /* @__PURE__ */ once(
  (): Mailer =>
    new SesMailer(
      dynamoClient().config,
      requireEnv(SETTINGS.mailFrom),
      optionalEnv(SETTINGS.sesConfigurationSet),
      optionalEnv('AWS_ENDPOINT_URL_SESV2') ?? optionalEnv('AWS_ENDPOINT_URL'),
    ),
);
