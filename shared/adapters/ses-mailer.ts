import { type SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { DependencyError } from '../domain/errors';
import type { Mailer, MailMessage } from '../domain/ports';

/** Sends mail with SESv2 SendEmail from the configured, verified identity. */
export class SesMailer implements Mailer {
  constructor(
    private readonly client: SESv2Client,
    private readonly from: string,
    /** Optional configuration set, for SES sending metrics and event destinations. */
    private readonly configurationSet?: string | undefined,
  ) {}

  async send(message: MailMessage): Promise<void> {
    try {
      await this.client.send(
        new SendEmailCommand({
          FromEmailAddress: this.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: {
                Text: { Data: message.text, Charset: 'UTF-8' },
                ...(message.html === undefined ? {} : { Html: { Data: message.html, Charset: 'UTF-8' } }),
              },
            },
          },
          ...(this.configurationSet === undefined ? {} : { ConfigurationSetName: this.configurationSet }),
        }),
      );
    } catch (error) {
      // SES error names (throttling, unverified identity) stay in the cause, never in a response.
      throw new DependencyError('SES did not accept the message', { cause: error });
    }
  }
}
