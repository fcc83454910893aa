import { generateKeyPairSync } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../local/demo';
import type { RunningLatchkey } from '../../local/server';
import { verifyWebhook } from '../../shared/domain/webhooks';
import { emailsTo } from '../support/inbox';
import { rememberSecret } from '../support/log-capture';
import { bearer, call, devToken, postLeakReport, startTestStack, trustLeakReporter } from './local-stack';

/**
 * The audit log, leaked-token reports and webhooks through the real local server: every lifecycle
 * action leaves exactly one event, a signed report revokes a live token before the next request, and
 * a receiver on loopback gets deliveries it can verify.
 */
// Trusted before the stack starts: the leak route reads its reporter keys when it first loads.
const reporter = trustLeakReporter('test-reporter-key');

const [jane, omar] = DEMO_ACCOUNTS;
if (jane === undefined || omar === undefined) throw new Error('two demo accounts expected');

let stack: RunningLatchkey;
const jwts = new Map<string, string>();
const USER_AGENT = 'audit-test/1.0';

/** A webhook receiver on loopback, as a team would run one. */
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
let receiver: Server;
let receiverUrl: string;
let webhookSecret: string;

beforeAll(async () => {
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/latchkey-hook`;
  stack = await startTestStack();
  jwts.set(jane.accountId, await devToken(stack, jane.accountId));
  jwts.set(omar.accountId, await devToken(stack, omar.accountId));
});

afterAll(async () => {
  await stack?.close();
  await new Promise((resolve) => receiver.close(resolve));
});

type Demo = (typeof DEMO_ACCOUNTS)[number];

function headersFor(as: Demo, extra: Record<string, string> = {}) {
  return { ...bearer(jwts.get(as.accountId) ?? ''), 'user-agent': USER_AGENT, ...extra };
}

function send(as: Demo, method: string, path: string, body?: unknown, extra: Record<string, string> = {}) {
  return call(`${stack.url}${path}`, {
    method,
    headers: headersFor(as, body === undefined ? extra : { 'content-type': 'application/json', ...extra }),
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** A code for exactly this action, read from the newest mail to the account. */
async function codeFor(as: Demo, action: string, keyId?: string, request?: unknown) {
  const started = await send(as, 'POST', '/v1/verifications', {
    action,
    ...(keyId === undefined ? {} : { keyId }),
    ...(request === undefined ? {} : { request }),
  });
  expect(started.status, started.text).toBe(201);
  const { verificationId } = started.json as { verificationId: string };
  const mails = await emailsTo(as.email);
  const code = /verification code: (\d{6})/.exec(mails.at(-1)?.text ?? '')?.[1];
  if (code === undefined) throw new Error('no code in the newest mail');
  rememberSecret(code);
  return { 'x-verification-id': verificationId, 'x-verification-code': code };
}

interface Created {
  apiKey: { keyId: string; name: string };
  token: string;
}

async function createKey(as: Demo, body: { name: string; permissions: string[] }): Promise<Created> {
  const answer = await send(as, 'POST', '/v1/api-keys', body, await codeFor(as, 'create', undefined, body));
  expect(answer.status, answer.text).toBe(201);
  const created = answer.json as Created;
  rememberSecret(created.token);
  return created;
}

interface ShownEvent {
  eventId: string;
  type: string;
  occurredAt: string;
  member: { userId: string; email: string | null } | null;
  keyId: string | null;
  keyName: string | null;
  changes: { before?: Record<string, unknown>; after?: Record<string, unknown> } | null;
  source: { ip: string | null; userAgent: string | null };
  requestId: string | null;
  details: Record<string, string | number> | null;
}

async function events(as: Demo, query = ''): Promise<{ events: ShownEvent[]; nextCursor?: string }> {
  const answer = await send(as, 'GET', `/v1/audit-events${query}`);
  expect(answer.status, answer.text).toBe(200);
  return answer.json as { events: ShownEvent[]; nextCursor?: string };
}

function protectedCall(token: string, accountId: string) {
  return call(`${stack.url}/v1/sites`, { headers: { authorization: token, 'x-account-id': accountId } });
}

function signedReport(body: string, privateKey = reporter.privateKey, keyId = reporter.keyId) {
  return postLeakReport(stack.url, body, { keyId, privateKey });
}

const secrets: string[] = [];

describe('the audit log', () => {
  let created: Created;

  it('records exactly one event per lifecycle action, newest first, with who, what and where', async () => {
    created = await createKey(jane, { name: 'Audited', permissions: ['stores'] });
    secrets.push(created.token);
    const { keyId } = created.apiKey;

    const rotated = await send(
      jane,
      'POST',
      `/v1/api-keys/${keyId}/rotate`,
      undefined,
      await codeFor(jane, 'rotate', keyId),
    );
    expect(rotated.status, rotated.text).toBe(200);
    secrets.push((rotated.json as Created).token);
    rememberSecret((rotated.json as Created).token);

    const duplicateBody = { name: 'Audited copy' };
    const duplicated = await send(
      jane,
      'POST',
      `/v1/api-keys/${keyId}/duplicate`,
      duplicateBody,
      await codeFor(jane, 'duplicate', keyId, duplicateBody),
    );
    expect(duplicated.status, duplicated.text).toBe(201);
    const copy = duplicated.json as Created;
    rememberSecret(copy.token);
    secrets.push(copy.token);

    const patch = { name: 'Audited, sites only', permissions: [] };
    const updated = await send(
      jane,
      'PATCH',
      `/v1/api-keys/${keyId}`,
      patch,
      await codeFor(jane, 'update', keyId, patch),
    );
    expect(updated.status, updated.text).toBe(200);

    const deleted = await send(
      jane,
      'DELETE',
      `/v1/api-keys/${keyId}`,
      undefined,
      await codeFor(jane, 'delete', keyId),
    );
    expect(deleted.status, deleted.text).toBe(204);

    const keyEvents = (await events(jane)).events.filter((e) => e.type.startsWith('key.'));
    expect(keyEvents.map((e) => [e.type, e.keyId])).toEqual([
      ['key.deleted', keyId],
      ['key.updated', keyId],
      ['key.duplicated', copy.apiKey.keyId],
      ['key.rotated', keyId],
      ['key.created', keyId],
    ]);
    for (const event of keyEvents) {
      expect(event.member).toEqual({ userId: jane.ownerId, email: 'j***@acme.example' });
      expect(event.source).toEqual({ ip: '127.0.0.1', userAgent: USER_AGENT });
      expect(event.requestId).toMatch(/.+/);
      expect(Date.parse(event.occurredAt)).toBeGreaterThan(Date.now() - 120_000);
    }
    const [deletedEvent, updatedEvent, duplicatedEvent, rotatedEvent, createdEvent] = keyEvents;
    expect(createdEvent?.keyName).toBe('Audited');
    expect(createdEvent?.changes).toEqual({
      after: {
        name: 'Audited',
        description: '',
        permissions: ['sites.list', 'stores'],
        siteIds: null,
      },
    });
    expect(rotatedEvent?.changes).toBeNull();
    expect(duplicatedEvent?.details).toEqual({ duplicatedFrom: keyId });
    expect(updatedEvent?.keyName).toBe('Audited, sites only');
    expect(updatedEvent?.changes?.before).toMatchObject({
      name: 'Audited',
      permissions: ['sites.list', 'stores'],
    });
    expect(updatedEvent?.changes?.after).toMatchObject({
      name: 'Audited, sites only',
      permissions: ['sites.list'],
    });
    expect(deletedEvent?.changes?.before).toMatchObject({ name: 'Audited, sites only' });

    // One verification.sent per code mailed, naming the action.
    const sent = await events(jane, '?type=verification.sent');
    expect(sent.events.map((e) => e.details?.action)).toEqual([
      'delete',
      'update',
      'duplicate',
      'rotate',
      'create',
    ]);
  });

  it('filters by key and type, pages newest first with a cursor, and shows nothing across accounts', async () => {
    const { keyId } = created.apiKey;
    const forKey = await events(jane, `?keyId=${keyId}`);
    expect(forKey.events.map((e) => e.type)).toEqual([
      'key.deleted',
      'verification.sent',
      'key.updated',
      'verification.sent',
      'verification.sent',
      'key.rotated',
      'verification.sent',
      'key.created',
    ]);

    const pages: string[][] = [];
    let cursor: string | undefined;
    do {
      const page = await events(
        jane,
        `?type=key.updated&limit=1${cursor === undefined ? '' : `&cursor=${cursor}`}`,
      );
      pages.push(page.events.map((e) => e.type));
      cursor = page.nextCursor;
    } while (cursor !== undefined && pages.length < 10);
    expect(pages.flat()).toEqual(['key.updated']);

    const all = (await events(jane, '?limit=100')).events;
    const paged: string[] = [];
    cursor = undefined;
    do {
      const page = await events(jane, `?limit=3${cursor === undefined ? '' : `&cursor=${cursor}`}`);
      expect(page.events.length).toBeLessThanOrEqual(3);
      paged.push(...page.events.map((e) => e.eventId));
      cursor = page.nextCursor;
    } while (cursor !== undefined);
    expect(paged).toEqual(all.map((e) => e.eventId));
    expect([...paged].sort().reverse()).toEqual(paged);

    expect((await events(omar, `?keyId=${keyId}`)).events).toEqual([]);
    expect((await events(omar)).events.filter((e) => e.keyId === keyId)).toEqual([]);
    const bad = await send(jane, 'GET', '/v1/audit-events?type=key.exploded');
    expect(bad.status).toBe(400);
    expect((await send(jane, 'GET', '/v1/audit-events?cursor=bm9wZQ')).status).toBe(400);
  });

  it('records a failed code as verification.failed, naming the key', async () => {
    const key = await createKey(omar, { name: 'Guarded', permissions: [] });
    secrets.push(key.token);
    const wrong = await send(omar, 'DELETE', `/v1/api-keys/${key.apiKey.keyId}`, undefined, {
      'x-verification-id': 'aaaaaaaaaaaaaaaaaaaaaaaa',
      'x-verification-code': '000000',
    });
    expect(wrong.status).toBe(403);
    const failed = (await events(omar, '?type=verification.failed')).events;
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      keyId: key.apiKey.keyId,
      keyName: 'Guarded',
      details: { action: 'delete' },
    });
    // The key is still there and no key event was written for the refused delete.
    expect((await events(omar, '?type=key.deleted')).events).toEqual([]);
  });
});

describe('a change whose write fails', () => {
  it('leaves no event: of two parallel rotations with their own codes, one commits one event', async () => {
    const key = await createKey(omar, { name: 'Raced', permissions: [] });
    secrets.push(key.token);
    const { keyId } = key.apiKey;
    const first = await codeFor(omar, 'rotate', keyId);
    const second = await codeFor(omar, 'rotate', keyId);
    // Both rotate version 1: one that loads the key only after the other wrote is refused by
    // If-Match (412) instead of rotating version 2, so the race is over one version either way.
    const answers = await Promise.all([
      send(omar, 'POST', `/v1/api-keys/${keyId}/rotate`, undefined, { ...first, 'if-match': '"1"' }),
      send(omar, 'POST', `/v1/api-keys/${keyId}/rotate`, undefined, { ...second, 'if-match': '"1"' }),
    ]);
    for (const answer of answers) {
      if (answer.status === 200) rememberSecret((answer.json as Created).token);
    }
    expect(answers.map((a) => a.status).sort()).toSatisfy(
      (statuses: number[]) => statuses[0] === 200 && (statuses[1] === 409 || statuses[1] === 412),
    );
    const rotations = (await events(omar, `?keyId=${keyId}&type=key.rotated`)).events;
    expect(rotations).toHaveLength(1);
  });
});

describe('webhooks', () => {
  it('are registered with a secret shown once, over https or, in local mode, loopback', async () => {
    const refused = await send(omar, 'PUT', '/v1/account/webhook', { url: 'http://hooks.example.com/x' });
    expect(refused.status).toBe(400);
    expect(refused.json).toMatchObject({ error: { code: 'invalid_webhook_url' } });

    const registered = await send(omar, 'PUT', '/v1/account/webhook', { url: receiverUrl });
    expect(registered.status, registered.text).toBe(200);
    webhookSecret = (registered.json as { secret: string }).secret;
    rememberSecret(webhookSecret);
    expect(webhookSecret).toMatch(/^whsec_/);
    const shown = await send(omar, 'GET', '/v1/account/webhook');
    expect(shown.json).toEqual({ webhook: { url: receiverUrl, createdAt: expect.any(String) } });
    expect(shown.text).not.toContain(webhookSecret);
  });
});

describe('leaked-token reports', () => {
  let leaked: Created;

  it('refuses unsigned, badly signed and unknown-key reports with 401 and changes nothing', async () => {
    leaked = await createKey(omar, { name: 'Pushed to GitHub', permissions: [] });
    secrets.push(leaked.token);
    const body = JSON.stringify([
      { token: leaked.token, type: 'latchkey_api_token', url: 'https://github.com/x/y', source: 'content' },
    ]);
    const stranger = generateKeyPairSync('ec', { namedCurve: 'P-256' });

    const unsigned = await call(`${stack.url}/v1/token-leaks`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json' },
    });
    const forged = await signedReport(body, stranger.privateKey);
    const unknown = await signedReport(body, reporter.privateKey, 'some-other-key');
    const tampered = await postLeakReport(stack.url, body, reporter, `${body} `);
    for (const answer of [unsigned, forged, unknown, tampered]) {
      expect(answer.status).toBe(401);
      expect(answer.text).not.toContain(leaked.token);
    }
    expect((await protectedCall(leaked.token, omar.accountId)).status).toBe(200);
    expect((await events(omar, '?type=key.revoked_leak')).events).toEqual([]);
  });

  it('revokes a live token at once, mails the account and answers true_positive', async () => {
    // What a reporter sends never reaches a log: the file's log check covers these too.
    rememberSecret('https://github.com/globex/app/blob/main/.env');
    rememberSecret('lk_not_a_token');
    const mailsBefore = (await emailsTo(omar.email)).length;
    const body = JSON.stringify([
      {
        token: leaked.token,
        type: 'latchkey_api_token',
        url: 'https://github.com/globex/app/blob/main/.env',
        source: 'content',
      },
      { token: 'lk_not_a_token', type: 'latchkey_api_token', url: '', source: 'content' },
    ]);
    const answer = await signedReport(body);
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual([
      { token_raw: leaked.token, token_type: 'latchkey_api_token', label: 'true_positive' },
      { token_raw: 'lk_not_a_token', token_type: 'latchkey_api_token', label: 'false_positive' },
    ]);

    // The very next request with that token is refused.
    expect((await protectedCall(leaked.token, omar.accountId)).status).toBe(403);

    const mails = await emailsTo(omar.email);
    expect(mails.length).toBe(mailsBefore + 1);
    const mail = mails.at(-1);
    expect(mail?.subject).toContain('revoked');
    expect(mail?.text).toContain(leaked.apiKey.keyId);
    expect(mail?.text).toContain('Pushed to GitHub');
    expect(mail?.text).toContain('https://github.com/globex/app/blob/main/.env');
    expect(mail?.text).not.toContain(leaked.token);

    const revoked = (await events(omar, '?type=key.revoked_leak')).events;
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({
      keyId: leaked.apiKey.keyId,
      keyName: 'Pushed to GitHub',
      member: null,
      details: { url: 'https://github.com/globex/app/blob/main/.env', source: 'content' },
    });

    // The account's webhook on loopback got the same event, signed so that it verifies.
    const delivery = received.at(-1);
    if (delivery === undefined) throw new Error('the receiver got nothing');
    const headers = {
      'webhook-id': String(delivery.headers['webhook-id']),
      'webhook-timestamp': String(delivery.headers['webhook-timestamp']),
      'webhook-signature': String(delivery.headers['webhook-signature']),
    };
    expect(verifyWebhook(webhookSecret, headers, delivery.body)).toBe(true);
    expect(verifyWebhook(webhookSecret, headers, delivery.body.replace('Pushed', 'Pulled'))).toBe(false);
    const payload = JSON.parse(delivery.body) as { type: string; data: ShownEvent };
    expect(payload.type).toBe('key.revoked_leak');
    expect(payload.data).toMatchObject({ eventId: revoked[0]?.eventId, keyId: leaked.apiKey.keyId });
    expect(delivery.body).not.toContain(leaked.token);
  });

  it('is harmless when the same token is reported again', async () => {
    const mailsBefore = (await emailsTo(omar.email)).length;
    const body = JSON.stringify([
      { token: leaked.token, type: 'latchkey_api_token', url: 'u', source: 'content' },
    ]);
    const again = await signedReport(body);
    expect(again.status).toBe(200);
    expect(again.json).toEqual([
      { token_raw: leaked.token, token_type: 'latchkey_api_token', label: 'false_positive' },
    ]);
    expect((await emailsTo(omar.email)).length).toBe(mailsBefore);
    expect((await events(omar, '?type=key.revoked_leak')).events).toHaveLength(1);
  });

  it('caps the body and the number of tokens', async () => {
    const many = JSON.stringify(
      Array.from({ length: 101 }, () => ({ token: 'x', type: 't', url: '', source: '' })),
    );
    const tooMany = await signedReport(many);
    expect([tooMany.status, (tooMany.json as { error: { code: string } }).error.code]).toEqual([
      400,
      'too_many_tokens',
    ]);
    const huge = JSON.stringify([{ token: 'x', type: 't', url: 'u'.repeat(70 * 1024), source: '' }]);
    expect((await signedReport(huge)).status).toBe(413);
  });
});

describe('webhooks, afterwards', () => {
  it('stop when the webhook is deleted', async () => {
    expect((await send(omar, 'DELETE', '/v1/account/webhook')).status).toBe(204);
    expect((await send(omar, 'GET', '/v1/account/webhook')).status).toBe(404);
    expect((await send(omar, 'DELETE', '/v1/account/webhook')).status).toBe(404);
  });
});

describe('secrets', () => {
  it('never appear in any event', async () => {
    const everything = JSON.stringify([
      ...(await events(jane, '?limit=100')).events,
      ...(await events(omar, '?limit=100')).events,
    ]);
    expect(secrets.length).toBeGreaterThan(4);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/tokenHash|pepper|codeHash/);
  });
});
