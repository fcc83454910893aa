import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { guardedLookup, HttpWebhookSender } from '../../../shared/adapters/http-webhook-sender';
import type { AuditEvent } from '../../../shared/domain/audit-events';
import { type NotificationFailure, SecurityNotifier } from '../../../shared/domain/notifications';
import { newWebhookSecret, signWebhook, verifyWebhook } from '../../../shared/domain/webhooks';

/** A real receiver on loopback that answers with the next status in `answers`, then 204. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let answers: number[] = [];
let server: Server;
let port: number;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(answers.shift() ?? 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  answers = [];
});

const delivery = signWebhook(newWebhookSecret(), 'msg_1', Date.now() / 1000, '{"type":"key.created"}');

describe('HttpWebhookSender', () => {
  it('POSTs the signed body and headers, and fails on a non-2xx answer', async () => {
    const sender = new HttpWebhookSender({ allowLoopback: true });
    await sender.post(`http://127.0.0.1:${port}/hook`, delivery);
    expect(received).toHaveLength(1);
    expect(received[0]?.body).toBe(delivery.body);
    expect(received[0]?.headers['webhook-signature']).toBe(delivery.headers['webhook-signature']);
    answers = [500];
    await expect(sender.post(`http://127.0.0.1:${port}/hook`, delivery)).rejects.toThrow(/answered 500/);
  });

  it('never reaches loopback in a deployed stack, by address or by a name that resolves to it', async () => {
    const sender = new HttpWebhookSender({ allowLoopback: false });
    await expect(sender.post(`http://127.0.0.1:${port}/hook`, delivery)).rejects.toThrow(/refused/);
    await expect(sender.post(`https://127.0.0.1:${port}/hook`, delivery)).rejects.toThrow(/refused/);
    await expect(sender.post(`https://localhost:${port}/hook`, delivery)).rejects.toThrow(/refused/);
    await expect(sender.post(`https://169.254.169.254/latest/meta-data/`, delivery)).rejects.toThrow(
      /refused/,
    );
    expect(received).toEqual([]);
  });

  it('checks every address a name resolves to at connect time', async () => {
    const resolve = (allowLoopback: boolean) =>
      new Promise<string>((done, fail) =>
        guardedLookup({ allowLoopback })('localhost', { family: 4 }, (error, address) =>
          error === null ? done(String(address)) : fail(error),
        ),
      );
    await expect(resolve(false)).rejects.toThrow(/forbidden address/);
    expect(await resolve(true)).toBe('127.0.0.1');
  });
});

describe('SecurityNotifier webhooks', () => {
  const secret = newWebhookSecret();
  const event: AuditEvent = {
    eventId: '01jq3v6m9x8k2c4n7p5r1s0t2w',
    accountId: 'acct',
    type: 'key.rotated',
    occurredAt: new Date().toISOString(),
    member: { userId: 'u', email: 'j***@example.com' },
    keyId: '01jq3v5a0b1c2d3e4f5g6h7j8k',
    keyName: 'Orders',
    changes: null,
    source: { ip: '203.0.113.1', userAgent: null },
    requestId: 'r',
    details: null,
    expiresAt: 0,
  };

  function notifier(failures: NotificationFailure[], delays: number[]) {
    return new SecurityNotifier({
      mailer: { send: async () => undefined },
      accounts: { getAccount: async () => undefined },
      webhooks: {
        get: async () => ({ accountId: 'acct', url: `http://127.0.0.1:${port}/hook`, secret, createdAt: '' }),
        put: async () => undefined,
        delete: async () => undefined,
      },
      sender: new HttpWebhookSender({ allowLoopback: true }),
      onFailure: (failure) => failures.push(failure),
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
  }

  it('retries with doubling backoff until the receiver takes it, and the delivery verifies', async () => {
    answers = [503, 502];
    const failures: NotificationFailure[] = [];
    const delays: number[] = [];
    await notifier(failures, delays).notify(event);
    expect(received).toHaveLength(3);
    expect(delays).toEqual([500, 1000]);
    expect(failures).toEqual([]);
    const last = received.at(-1);
    const headers = {
      'webhook-id': String(last?.headers['webhook-id']),
      'webhook-timestamp': String(last?.headers['webhook-timestamp']),
      'webhook-signature': String(last?.headers['webhook-signature']),
    };
    expect(headers['webhook-id']).toBe(`msg_${event.eventId}`);
    expect(verifyWebhook(secret, headers, last?.body ?? '')).toBe(true);
    expect(JSON.parse(last?.body ?? '{}')).toMatchObject({
      type: 'key.rotated',
      data: { keyId: event.keyId },
    });
    expect(last?.body).not.toContain('acct');
  });

  it('gives up after three attempts and reports the failure instead of throwing', async () => {
    answers = [500, 500, 500];
    const failures: NotificationFailure[] = [];
    await notifier(failures, []).notify(event);
    expect(received).toHaveLength(3);
    expect(failures.map((f) => [f.channel, f.eventType])).toEqual([['webhook', 'key.rotated']]);
  });
});
