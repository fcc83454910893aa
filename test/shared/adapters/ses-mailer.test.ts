import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { dynamoClient } from '../../../shared/adapters/dynamo-client';
import { SesMailer } from '../../../shared/adapters/ses-mailer';
import { DependencyError } from '../../../shared/domain/errors';
import { emailsTo } from '../../support/inbox';

describe('SesMailer', () => {
  it('sends a plain-text message through SESv2 SendEmail, with the configuration set when one is given', async () => {
    const to = `reader-${randomUUID()}@example.com`;
    const mailer = new SesMailer(
      dynamoClient().config,
      'Latchkey <no-reply@latchkey.test>',
      'latchkey-sending',
      process.env.AWS_ENDPOINT_URL_SESV2,
    );
    await mailer.send({ to, subject: 'Hello', text: 'Line one\nLine two' });
    const received = await emailsTo(to);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: [to], subject: 'Hello' });
    expect(received[0]?.text).toContain('Line two');
  });

  it('reports a mail service it cannot reach as a DependencyError, keeping the cause', async () => {
    const error = await new SesMailer(
      dynamoClient().config,
      'no-reply@latchkey.test',
      undefined,
      'http://127.0.0.1:9',
    )
      .send({ to: 'x@example.com', subject: 's', text: 't' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!(error instanceof DependencyError))
      throw new Error(`expected a DependencyError, got ${String(error)}`);
    expect(error.message).toBe('SES did not accept the message');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
