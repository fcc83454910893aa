import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The node:http side of the local gateway: reading bodies, writing answers, API Gateway's own bodies. */

/** What the server buffers of a request body; the handlers refuse much smaller bodies themselves. */
export const MAX_BUFFERED_BODY_BYTES = 1024 * 1024;

export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  readonly cookies?: readonly string[];
}

/** An answer the gateway makes itself, in API Gateway's shape (`{"message":"Unauthorized"}`). */
export function gatewayMessage(statusCode: number, message: string, headers: Record<string, string> = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ message }),
  } satisfies GatewayResponse;
}

export const internalError = () => gatewayMessage(500, 'Internal Server Error');

/**
 * Buffers the body up to MAX_BUFFERED_BODY_BYTES. Past that it keeps reading and drops the rest, so
 * the client still receives the 413 instead of a reset connection.
 */
export function readBody(req: IncomingMessage): Promise<string | undefined | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size =
      Number(req.headers['content-length'] ?? '0') > MAX_BUFFERED_BODY_BYTES ? Number.POSITIVE_INFINITY : 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BUFFERED_BODY_BYTES) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (size > MAX_BUFFERED_BODY_BYTES) resolve('too-large');
      else resolve(size === 0 ? undefined : Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export function writeResponse(res: ServerResponse, response: GatewayResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.cookies !== undefined && response.cookies.length > 0)
    res.setHeader('set-cookie', [...response.cookies]);
  res.setHeader('content-length', body.length);
  res.setHeader('apigw-requestid', randomBytes(8).toString('base64url'));
  res.end(body);
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export function portOf(server: Server): number {
  return (server.address() as AddressInfo).port;
}

export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolveClose) => {
    server.close(() => resolveClose());
    server.closeAllConnections();
  });
}
