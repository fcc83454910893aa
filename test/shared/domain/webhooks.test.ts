import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  isForbiddenWebhookAddress,
  newWebhookSecret,
  signWebhook,
  verifyWebhook,
  webhookUrlProblem,
} from '../../../shared/domain/webhooks';

describe('Standard Webhooks signatures', () => {
  it('matches the scheme: v1, base64 HMAC-SHA256 of id.timestamp.body under the secret bytes', () => {
    // The example secret of the Standard Webhooks specification.
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const signed = signWebhook(secret, 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    const expected = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'))
      .update('msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}')
      .digest('base64');
    expect(signed.headers['webhook-signature']).toBe(`v1,${expected}`);
    expect(signed.headers['webhook-signature']).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('verifies its own deliveries and refuses tampering, other secrets and stale timestamps', () => {
    const secret = newWebhookSecret();
    const now = 1_800_000_000;
    const { headers, body } = signWebhook(secret, 'evt_1', now, '{"a":1}');
    expect(verifyWebhook(secret, headers, body, now + 10)).toBe(true);
    expect(verifyWebhook(secret, headers, '{"a":2}', now)).toBe(false);
    expect(verifyWebhook(newWebhookSecret(), headers, body, now)).toBe(false);
    expect(verifyWebhook(secret, headers, body, now + 301)).toBe(false);
    expect(verifyWebhook(secret, { ...headers, 'webhook-id': 'evt_2' }, body, now)).toBe(false);
    expect(
      verifyWebhook(
        secret,
        { ...headers, 'webhook-signature': `v1,AAAA ${headers['webhook-signature']}` },
        body,
        now,
      ),
    ).toBe(true);
  });
});

describe('webhook destinations', () => {
  const deployed = { allowLoopback: false };
  const local = { allowLoopback: true };

  it.each([
    '10.0.0.1',
    '172.16.5.4',
    '192.168.1.1',
    '169.254.169.254',
    '127.0.0.1',
    '0.0.0.0',
    '100.64.0.1',
    '::1',
    'fe80::1',
    'fd00::1',
    '::ffff:10.1.2.3',
    '::ffff:127.0.0.1',
  ])('refuses %s in a deployed stack', (address) => {
    expect(isForbiddenWebhookAddress(address, deployed)).toBe(true);
  });

  it('allows public addresses, and loopback only where allowed', () => {
    expect(isForbiddenWebhookAddress('93.184.216.34', deployed)).toBe(false);
    expect(isForbiddenWebhookAddress('2606:2800:220:1::1', deployed)).toBe(false);
    expect(isForbiddenWebhookAddress('127.0.0.1', local)).toBe(false);
    expect(isForbiddenWebhookAddress('::1', local)).toBe(false);
    expect(isForbiddenWebhookAddress('169.254.169.254', local)).toBe(true);
  });

  it('wants https, except plain http to loopback in local mode', () => {
    expect(webhookUrlProblem('https://hooks.example.com/latchkey', deployed)).toBeUndefined();
    expect(webhookUrlProblem('http://hooks.example.com/x', deployed)).toBe('url must use https');
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', deployed)).toBe('url must use https');
    expect(webhookUrlProblem('https://127.0.0.1/x', deployed)).toMatch(/private, loopback/);
    expect(webhookUrlProblem('https://[::1]/x', deployed)).toMatch(/private, loopback/);
    expect(webhookUrlProblem('https://localhost/x', deployed)).toMatch(/this machine/);
    expect(webhookUrlProblem('http://127.0.0.1:8080/x', local)).toBeUndefined();
    expect(webhookUrlProblem('https://user:pw@example.com/', deployed)).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url', deployed)).toMatch(/absolute URL/);
  });
});
