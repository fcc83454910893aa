import { randomUUID } from 'node:crypto';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { describe, expect, it } from 'vitest';
import { sesClient } from '../../../shared/adapters/aws-clients';
import { SesMailer } from '../../../shared/adapters/ses-mailer';
import { DependencyError } from '../../../shared/domain/errors';
import { emailsTo } from '../../support/inbox';

describe('SesMailer', () => {
  it('sends a plain-text message through SESv2, with the configuration set when one is given', async () => {
    const to = `reader-${randomUUID()}@example.com`;
    const mailer = new SesMailer(sesClient(), 'Latchkey <no-reply@latchkey.test>', 'latchkey-sending');
    await mailer.send({ to, subject: 'Hello', text: 'Line one\nLine two' });
    const received = await emailsTo(to);
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject({ to: [to], subject: 'Hello' });
    expect(received[0]?.text).toContain('Line two');
  });

  it('reports a mail service it cannot reach as a DependencyError, keeping the cause', async () => {
    const unreachable = new SESv2Client({ endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const error = await new SesMailer(unreachable, 'no-reply@latchkey.test')
      .send({ to: 'x@example.com', subject: 's', text: 't' })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    unreachable.destroy();
    if (!(error instanceof DependencyError))
      throw new Error(`expected a DependencyError, got ${String(error)}`);
    expect(error.message).toBe('SES did not accept the message');
    expect(error.cause).toBeInstanceOf(Error);
  });
});
