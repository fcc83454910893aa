import type { Context } from 'aws-lambda';
import type { HttpEvent, JwtClaims } from '../../shared/http/event';
import type { HttpResult } from '../../shared/http/responses';
import { assertMatchesDescription, routeByKey } from './contract';

/**
 * Builds the API Gateway HTTP API (payload 2.0) event a route receives, as API Gateway would after
 * its JWT authorizer accepted a token for `userId`.
 */
export function managementEvent(options: {
  method: string;
  path: string;
  routeKey: string;
  userId?: string | undefined;
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
}): HttpEvent {
  const claims: JwtClaims | undefined = options.userId === undefined ? undefined : { sub: options.userId };
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const headers: Record<string, string> = {
    ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    ...options.headers,
  };
  return {
    version: '2.0',
    routeKey: options.routeKey,
    rawPath: options.path,
    rawQueryString: new URLSearchParams(options.query ?? {}).toString(),
    headers,
    queryStringParameters: options.query,
    pathParameters: options.pathParameters,
    body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: 'localhost',
      domainPrefix: 'localhost',
      http: {
        method: options.method,
        path: options.path,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: 'test',
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey: options.routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
      ...(claims === undefined ? {} : { authorizer: { jwt: { claims, scopes: null } } }),
    },
  };
}

export const lambdaContext = {
  awsRequestId: 'test-request',
  functionName: 'test',
  callbackWaitsForEmptyEventLoop: false,
} as unknown as Context;

export type Invokable = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/**
 * Calls a route's handler as API Gateway would. Every answer of a route in the route table is also
 * held against docs/openapi.json (status, the headers it documents, the body's schema).
 */
export async function invoke(handler: Invokable, event: HttpEvent): Promise<HttpResult & { json: unknown }> {
  const result = await handler(event, lambdaContext);
  const text = typeof result.body === 'string' ? result.body : '';
  const route = routeByKey(event.routeKey);
  if (route !== undefined)
    assertMatchesDescription(route, { statusCode: result.statusCode, headers: result.headers, body: text });
  return { ...result, json: text === '' ? undefined : JSON.parse(text) };
}
