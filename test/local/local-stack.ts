import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { expect } from 'vitest';
import { type RunningLatchkey, startLatchkey } from '../../local/server';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import { assertMatchesDescription, routeForRequest } from '../support/contract';
import { latestCodeFor } from '../support/inbox';
import { rememberSecret } from '../support/log-capture';

/**
 * Starts the real local server (the code behind `npm start`) on a free port, over the run's
 * DynamoDB Local and SES and this file's table, with a fresh data dir (removed on close) unless one is given.
 */
export async function startTestStack(dataDir?: string): Promise<RunningLatchkey> {
  const dynamoEndpoint = process.env.AWS_ENDPOINT_URL_DYNAMODB;
  const sesEndpoint = process.env.LATCHKEY_SES_LOCAL_URL;
  if (dynamoEndpoint === undefined || sesEndpoint === undefined) {
    throw new Error('The test engines are not configured: is test/support/setup.ts loaded?');
  }
  const ownDir = dataDir === undefined ? await mkdtemp(join(tmpdir(), 'latchkey-local-')) : undefined;
  const stack = await startLatchkey({
    port: 0,
    dataDir: dataDir ?? ownDir,
    tableName: process.env.LATCHKEY_TABLE_NAME,
    engines: { dynamoEndpoint, sesEndpoint },
  });
  if (ownDir === undefined) return stack;
  // A data dir made here goes when its stack does.
  return {
    ...stack,
    close: async () => {
      await stack.close();
      await rm(ownDir, { recursive: true, force: true });
    },
  };
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly json: unknown;
}

/**
 * fetch, with the body read once as text and parsed as JSON when it is JSON. An answer from a route
 * of the route table is held against docs/openapi.json, gateway answers included.
 */
export async function call(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const response = await fetch(url, init);
  const text = await response.text();
  const route = routeForRequest(init.method ?? 'GET', new URL(url).pathname);
  if (route !== undefined) {
    assertMatchesDescription(route, {
      statusCode: response.status,
      headers: Object.fromEntries(response.headers.entries()),
      body: text,
    });
  }
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** A dev token from the running server, remembered so the file's log check covers it. */
export async function devToken(stack: RunningLatchkey, accountId?: string): Promise<string> {
  const query = accountId === undefined ? '' : `?account=${encodeURIComponent(accountId)}`;
  const answer = await call(`${stack.url}/local/dev-token${query}`);
  const body = answer.json as { token?: unknown };
  if (answer.status !== 200 || typeof body.token !== 'string') {
    throw new Error(`dev-token answered ${answer.status}: ${answer.text}`);
  }
  rememberSecret(body.token);
  return body.token;
}

export const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** A JSON call to the management API as the member `jwt` names. */
export function management(
  stack: RunningLatchkey,
  jwt: string,
  method: string,
  path: string,
  body?: unknown,
  extra: Record<string, string> = {},
): Promise<HttpAnswer> {
  return call(`${stack.url}${path}`, {
    method,
    headers: { ...bearer(jwt), 'content-type': 'application/json', ...extra },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

/** Asks for a code for exactly this request and reads it from the member's inbox. */
export async function verificationHeaders(
  stack: RunningLatchkey,
  jwt: string,
  email: string,
  verification: Record<string, unknown>,
): Promise<Record<string, string>> {
  const started = await management(stack, jwt, 'POST', '/v1/verifications', verification);
  expect(started.status, started.text).toBe(201);
  const { verificationId } = started.json as { verificationId: string };
  return { 'x-verification-id': verificationId, 'x-verification-code': await latestCodeFor(email) };
}

/** The key's item as the table holds it, read consistently. */
export async function rawKeyItem(stack: RunningLatchkey, keyId: string) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: stack.tableName, Key: keyOf.apiKey(keyId), ConsistentRead: true }),
  );
  return Item;
}

export interface RawRequest {
  readonly method?: string;
  readonly path?: string;
  readonly body?: string;
  readonly headers?: Record<string, string>;
}

export interface RawAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** One request to `url`'s address, with whatever Host header the caller picks. */
export function withHost(url: string, host: string, init: RawRequest = {}): Promise<RawAnswer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: target.hostname,
        port: target.port,
        method: init.method ?? 'GET',
        path: init.path ?? '/',
        headers: { ...init.headers, host },
        setHost: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        res.once('error', reject);
      },
    );
    req.once('error', reject);
    req.end(init.body);
  });
}

/**
 * A leak reporter the local stack trusts, as GitHub's secret scanning is trusted in AWS: a fresh
 * P-256 key pair whose public half goes into `LATCHKEY_LEAK_REPORTER_KEYS`. The leak route reads that
 * setting when it first loads, so call this at module load, before the stack starts.
 */
export function trustLeakReporter(keyId: string): { keyId: string; privateKey: KeyObject } {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  process.env.LATCHKEY_LEAK_REPORTER_KEYS = JSON.stringify([
    {
      key_identifier: keyId,
      key: pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
      is_current: true,
    },
  ]);
  return { keyId, privateKey: pair.privateKey };
}

/**
 * POSTs a leak report signed the way GitHub signs one (ECDSA over the body, DER, base64). `signed` is
 * the text the signature covers: the body itself, unless a test tampers with it.
 */
export function postLeakReport(
  url: string,
  body: string,
  signer: { keyId: string; privateKey: KeyObject },
  signed: string = body,
): Promise<HttpAnswer> {
  return call(`${url}/v1/token-leaks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'Github-Public-Key-Identifier': signer.keyId,
      'Github-Public-Key-Signature': sign('sha256', Buffer.from(signed), {
        key: signer.privateKey,
        dsaEncoding: 'der',
      }).toString('base64'),
    },
    body,
  });
}
