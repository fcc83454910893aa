import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { HttpEvent } from '../shared/http/event';
import { logger } from '../shared/logger';
import { routeKeyOf } from '../shared/route-matcher';
import type { RouteDefinition } from '../shared/routes';
import { type GatewayResponse, internalError } from './http-io';

/**
 * What Lambda and API Gateway add around a handler: the payload 2.0 event, the context object, the
 * module import (a cold start) and the mapping of a handler's result to an HTTP answer.
 */

/** API Gateway's integration timeout; handlers see it through `getRemainingTimeInMillis`. */
const INTEGRATION_TIMEOUT_MS = 30_000;

export type LambdaFunction = (event: unknown, context: Context) => Promise<unknown>;

export function buildEvent(
  req: IncomingMessage,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: string | undefined,
): HttpEvent {
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {};
  let cookies: string[] | undefined;
  for (const [name, values] of Object.entries(req.headersDistinct)) {
    if (values === undefined) continue;
    // Payload 2.0 moves cookies to their own field and joins repeated headers with commas.
    if (name === 'cookie') cookies = values.flatMap((v) => v.split(';').map((c) => c.trim())).filter(Boolean);
    else headers[name] = values.join(',');
  }
  const sourceIp = req.socket.remoteAddress ?? '127.0.0.1';
  headers['x-forwarded-for'] ??= sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  const query = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) query.set(name, [...(query.get(name) ?? []), value]);
  const now = new Date();
  const key = routeKeyOf(route);
  return {
    version: '2.0',
    routeKey: key,
    rawPath: url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    ...(cookies === undefined ? {} : { cookies }),
    headers,
    ...(query.size === 0
      ? {}
      : { queryStringParameters: Object.fromEntries([...query].map(([n, v]) => [n, v.join(',')])) }),
    ...(Object.keys(pathParameters).length === 0 ? {} : { pathParameters }),
    ...(body === undefined ? {} : { body }),
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? 'localhost',
      domainPrefix: (headers.host ?? 'localhost').split('.')[0] ?? 'localhost',
      http: {
        method,
        path: url.pathname,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomBytes(12).toString('base64url'),
      routeKey: key,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
  };
}

export function lambdaContext(functionName: string): Context {
  const deadline = Date.now() + INTEGRATION_TIMEOUT_MS;
  const requestId = randomBytes(16).toString('hex');
  const fail = () => {
    throw new Error('Callback-style completion is not supported by the local gateway');
  };
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: `latchkey-local-${functionName}`,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:local:000000000000:function:latchkey-local-${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/latchkey-local-${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: fail,
    fail,
    succeed: fail,
  };
}

/** Handler modules, each imported on first use as Lambda does at a cold start. */
export class HandlerModules {
  private readonly modules = new Map<string, Promise<LambdaFunction>>();

  constructor(private readonly projectRoot: string) {}

  /** A module that fails to load is a Lambda that fails its cold start: API Gateway says 500. */
  async load(modulePath: string): Promise<LambdaFunction | GatewayResponse> {
    let pending = this.modules.get(modulePath);
    if (pending === undefined) {
      pending = import(pathToFileURL(join(this.projectRoot, modulePath)).href).then(
        (module: Record<string, unknown>) => {
          const handler = module.handler;
          if (typeof handler !== 'function')
            throw new Error(`${modulePath} does not export a handler function`);
          return handler as LambdaFunction;
        },
      );
      this.modules.set(modulePath, pending);
      // Tried again on the next request, so a module fixed while the server runs is picked up.
      pending.catch(() => this.modules.delete(modulePath));
    }
    try {
      return await pending;
    } catch (error) {
      logger.error('local gateway: could not load a handler', { module: modulePath }, error);
      return internalError();
    }
  }
}

const structuredResultSchema = z.object({
  statusCode: z.number().int().min(100).max(599),
  headers: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  body: z.string().optional(),
  cookies: z.array(z.string()).optional(),
  isBase64Encoded: z.boolean().optional(),
});

/**
 * Maps a handler's result as API Gateway does for payload 2.0: an object with a `statusCode` is a
 * structured result (a malformed one is a 500); anything else is a 200 JSON body.
 */
export function toGatewayResponse(result: unknown): GatewayResponse {
  if (typeof result === 'object' && result !== null && 'statusCode' in result) {
    const parsed = structuredResultSchema.safeParse(result);
    if (!parsed.success) {
      logger.error('local gateway: a handler returned a malformed result', {});
      return internalError();
    }
    const { statusCode, headers = {}, body = '', cookies = [], isBase64Encoded } = parsed.data;
    return {
      statusCode,
      headers: Object.fromEntries(
        Object.entries(headers).map(([name, value]) => [name.toLowerCase(), String(value)]),
      ),
      body: isBase64Encoded === true ? Buffer.from(body, 'base64') : body,
      cookies,
    };
  }
  const body = typeof result === 'string' ? result : JSON.stringify(result ?? null);
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}
