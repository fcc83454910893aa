import { DependencyError } from '../domain/errors';
import type { Mailer, MailMessage } from '../domain/ports';
import { type SdkTransport, signedJsonRequest } from './signed-json-request';

/**
 * Sends mail with SESv2 SendEmail (`POST /v2/email/outbound-emails`) from the configured, verified
 * identity, as one signed JSON request over the function's DynamoDB client transport: the code
 * sender is the only function that mails, and @aws-sdk/client-sesv2 would add about 60 KB to it.
 */
export class SesMailer implements Mailer {
  constructor(
    private readonly transport: SdkTransport,
    private readonly from: string,
    /** Optional configuration set, for SES sending metrics and event destinations. */
    private readonly configurationSet: string | undefined,
    /** The standard `AWS_ENDPOINT_URL_SESV2` override; otherwise the regional endpoint. */
    private readonly endpoint: string | undefined,
  ) {}

  async send(message: MailMessage): Promise<void> {
    let status: number;
    let headers: Record<string, string | undefined>;
    try {
      ({ status, headers } = await signedJsonRequest(this.transport, {
        service: 'ses',
        endpointPrefix: 'email',
        endpoint: this.endpoint,
        path: '/v2/email/outbound-emails',
        headers: { 'content-type': 'application/json' },
        body: {
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
        },
      }));
    } catch (error) {
      throw new DependencyError('SES did not accept the message', { cause: error });
    }
    if (status !== 200) {
      // SES error names (throttling, unverified identity) stay in the cause, never in a response.
      const type = (headers['x-amzn-errortype'] ?? `HTTP ${status}`).split(':')[0];
      throw new DependencyError('SES did not accept the message', { cause: new Error(type) });
    }
  }
}
