import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { crc32 } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoServiceError, dynamoJsonCall } from '../../../shared/adapters/dynamo-json-call';
import { envTransport } from '../../../shared/adapters/env-transport';
import { tableName } from '../../../shared/wiring/stores';
import { serviceEndpoint } from '../../../shared/wiring/transport';

/**
 * The authorizer's DynamoDB calls, with no SDK client: against DynamoDB Local for what the service
 * answers, and against a small HTTP server for what DynamoDB Local never does (a 5xx, throttling, a
 * corrupted reply, an answer that never comes).
 */

type Reply = { status: number; body: string; crc?: 'right' | 'wrong' } | 'stall';
const script: Reply[] = [];
const seen: { target: string; authorization: string; body: string }[] = [];
const sockets: Socket[] = [];
let faulty: Server;
let faultyEndpoint: string;

function answer(request: IncomingMessage, response: ServerResponse) {
  let body = '';
  request.on('data', (chunk: Buffer) => {
    body += chunk.toString('utf8');
  });
  request.on('end', () => {
    seen.push({
      target: String(request.headers['x-amz-target']),
      authorization: String(request.headers.authorization),
      body,
    });
    const reply = script.shift() ?? { status: 200, body: '{}' };
    if (reply === 'stall') return;
    const bytes = Buffer.from(reply.body);
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0' };
    if (reply.crc !== undefined) {
      headers['x-amz-crc32'] = String(reply.crc === 'right' ? crc32(bytes) : (crc32(bytes) + 1) >>> 0);
    }
    response.writeHead(reply.status, headers).end(bytes);
  });
}

beforeAll(async () => {
  faulty = createServer(answer);
  faulty.on('connection', (socket) => sockets.push(socket));
  faulty.listen(0, '127.0.0.1');
  await once(faulty, 'listening');
  const address = faulty.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  faultyEndpoint = `http://127.0.0.1:${address.port}`;
});

afterEach(() => {
  script.length = 0;
  seen.length = 0;
});

afterAll(() => {
  for (const socket of sockets) socket.destroy();
  faulty.close();
});

const key = { pk: { S: 'KEY#none' }, sk: { S: 'KEY' } };

describe('dynamoJsonCall against DynamoDB Local', () => {
  it('reads an item in the JSON protocol, signed, and answers a missing one with no Item', async () => {
    const reply = await dynamoJsonCall(envTransport(), serviceEndpoint('DYNAMODB'), 'GetItem', {
      TableName: tableName(),
      Key: key,
      ConsistentRead: true,
    });
    expect(reply).toEqual({});
  });

  it("names the service's error and does not retry what a retry cannot fix", async () => {
    const call = dynamoJsonCall(envTransport(), serviceEndpoint('DYNAMODB'), 'GetItem', {
      TableName: 'no-such-table',
      Key: key,
    });
    await expect(call).rejects.toBeInstanceOf(DynamoServiceError);
    await expect(call).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      status: 400,
      retryable: false,
    });
  });
});

describe('dynamoJsonCall when DynamoDB misbehaves', () => {
  const call = () => dynamoJsonCall(envTransport(), faultyEndpoint, 'GetItem', { TableName: 't', Key: key });
  const item = JSON.stringify({ Item: { pk: { S: 'KEY#none' } } });

  it('signs each attempt and retries a 5xx and throttling, then returns the answer', async () => {
    script.push(
      {
        status: 500,
        body: '{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError","message":"x"}',
      },
      {
        status: 400,
        body: '{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"y"}',
      },
      { status: 200, body: item, crc: 'right' },
    );
    expect(await call()).toEqual({ Item: { pk: { S: 'KEY#none' } } });
    expect(seen.map((s) => s.target)).toEqual([
      'DynamoDB_20120810.GetItem',
      'DynamoDB_20120810.GetItem',
      'DynamoDB_20120810.GetItem',
    ]);
    for (const request of seen) {
      expect(request.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/dynamodb\/aws4_request/,
      );
      expect(JSON.parse(request.body)).toEqual({ TableName: 't', Key: key });
    }
  });

  it('gives up after three attempts, with the last error', async () => {
    for (let i = 0; i < 4; i++) script.push({ status: 503, body: '' });
    await expect(call()).rejects.toMatchObject({ name: 'HTTP503', status: 503 });
    expect(seen).toHaveLength(3);
  });

  it('refuses a reply whose CRC32 does not match, and retries it', async () => {
    script.push({ status: 200, body: item, crc: 'wrong' }, { status: 200, body: item, crc: 'right' });
    expect(await call()).toEqual({ Item: { pk: { S: 'KEY#none' } } });
    expect(seen).toHaveLength(2);
    for (let i = 0; i < 3; i++) script.push({ status: 200, body: item, crc: 'wrong' });
    await expect(call()).rejects.toMatchObject({ name: 'CorruptedReply' });
  });

  it('does not retry a client error such as a failed condition', async () => {
    script.push({
      status: 400,
      body: '{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed"}',
    });
    await expect(call()).rejects.toMatchObject({
      name: 'ConditionalCheckFailedException',
      message: 'The conditional request failed',
    });
    expect(seen).toHaveLength(1);
  });

  it('gives up on an answer that never comes after its request timeout, without a retry', async () => {
    script.push('stall');
    const started = Date.now();
    await expect(call()).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(Date.now() - started).toBeLessThan(6000);
    expect(seen).toHaveLength(1);
  }, 15_000);
});

describe('envTransport', () => {
  it('needs the region Lambda sets, and says so by name', () => {
    vi.stubEnv('AWS_REGION', '');
    expect(() => envTransport()).toThrow('Missing required setting AWS_REGION');
    vi.unstubAllEnvs();
  });
});
