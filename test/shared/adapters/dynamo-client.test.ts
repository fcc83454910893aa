import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/**
 * A server that accepts connections and never answers: the stalled dependency the client's request
 * timeout exists for. Without `throwOnRequestTimeout` the SDK only warns and the call never ends.
 */
const sockets: Socket[] = [];
const stalled = createServer((socket) => {
  sockets.push(socket);
  socket.on('error', () => {});
});
let endpoint: string;

beforeAll(async () => {
  stalled.listen(0, '127.0.0.1');
  await once(stalled, 'listening');
  const address = stalled.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(() => {
  for (const socket of sockets) socket.destroy();
  stalled.close();
});

describe('dynamoClient', () => {
  it('gives up on a DynamoDB that accepts the connection but never answers, after its three attempts', async () => {
    vi.resetModules();
    vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', endpoint);
    const { dynamoClient } = await import('../../../shared/adapters/dynamo-client');
    const read = dynamoClient().send(
      new GetItemCommand({ TableName: 'stalled', Key: { pk: { S: 'KEY#x' }, sk: { S: 'KEY' } } }),
    );
    await expect(read).rejects.toMatchObject({ name: 'TimeoutError' });
    expect(sockets).toHaveLength(3);
    vi.unstubAllEnvs();
  }, 25_000);
});
