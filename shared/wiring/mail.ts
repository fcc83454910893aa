import { dynamoClient } from '../adapters/dynamo-client';
import { SesMailer } from '../adapters/ses-mailer';
import { optionalEnv, requireEnv, SETTINGS } from '../config';
import { VerificationCodeSender } from '../domain/key-lifecycle';
import type { Mailer } from '../domain/ports';
import { once } from './once';
import { accountStore, keyStore } from './stores';
import { verificationService } from './verification';

/** Only the function that sends codes needs (and requires) the mail settings. */
export const mailer = /* @__PURE__ */ once(
  (): Mailer =>
    new SesMailer(
      dynamoClient().config,
      requireEnv(SETTINGS.mailFrom),
      optionalEnv(SETTINGS.sesConfigurationSet),
      optionalEnv('AWS_ENDPOINT_URL_SESV2') ?? optionalEnv('AWS_ENDPOINT_URL'),
    ),
);

export const verificationCodeSender = /* @__PURE__ */ once(
  () =>
    new VerificationCodeSender({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      mailer: mailer(),
    }),
);
