import { randomBytes } from 'node:crypto';
import { access } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import * as z from 'zod';
import type { HttpEvent, JwtClaims } from '../shared/http/event';
import { logger } from '../shared/logger';
import { ROUTES, type RouteDefinition, routeKey } from '../shared/routes';
import type { LocalIssuer } from './issuer';

/**
 * A local stand-in for API Gateway (HTTP API, payload 2.0) in front of the route table's handler
 * modules. It matches a route, runs the route's authorizer the way API Gateway would (the JWT
 * authorizer for the management API, the Latchkey Lambda authorizer for the protected API), builds
 * the event, invokes the handler and writes its result. Gateway-made answers use API Gateway's own
 * bodies (`{"message":"Unauthorized"}` and friends), so a client sees the same thing locally and in AWS.
 */
export const AUTHORIZER_MODULE = 'functions/authorizer/authorize.ts';
/** What the server buffers of a request body; the handlers refuse much smaller bodies themselves. */
export const MAX_BUFFERED_BODY_BYTES = 1024 * 1024;
/** API Gateway's integration timeout; handlers see it through `getRemainingTimeInMillis`. */
const INTEGRATION_TIMEOUT_MS = 30_000;
const LOCAL_ARN_PREFIX = 'arn:aws:execute-api:local:000000000000:local/$default';

export interface GatewayOptions {
  /** The repository root the route table's handler paths are relative to. */
  readonly projectRoot: string;
  readonly issuer: LocalIssuer;
  /** Defaults to the route table; tests may pass their own. */
  readonly routes?: readonly RouteDefinition[];
  /** The Lambda authorizer module, relative to projectRoot. @default AUTHORIZER_MODULE */
  readonly authorizerModule?: string;
  /** Local-only routes (`/local/...`), tried before the route table. Undefined means not handled. */
  readonly localRoutes?: (request: LocalRequest) => Promise<GatewayResponse | undefined>;
}

export interface LocalRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
}

export interface GatewayResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string | Buffer;
  readonly cookies?: readonly string[];
}

type LambdaFunction = (event: unknown, context: Context) => Promise<unknown>;

interface CompiledRoute {
  readonly route: RouteDefinition;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

export function gatewayMessage(statusCode: number, message: string, headers: Record<string, string> = {}) {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ message }),
  } satisfies GatewayResponse;
}

const notFound = () => gatewayMessage(404, 'Not Found');
const internalError = () => gatewayMessage(500, 'Internal Server Error');

export class LocalGateway {
  private readonly compiled: readonly CompiledRoute[];
  private readonly modules = new Map<string, Promise<LambdaFunction>>();

  constructor(private readonly options: GatewayOptions) {
    this.compiled = compileRoutes(options.routes ?? ROUTES);
  }

  /** The node:http request listener. Never throws: every failure becomes a response. */
  readonly listener = (req: IncomingMessage, res: ServerResponse): void => {
    const started = performance.now();
    const method = req.method ?? 'GET';
    let url: URL;
    try {
      // Prefixed, not resolved against a base: a request target like `//host/x` stays a path.
      url = new URL(`http://localhost${req.url ?? '/'}`);
    } catch {
      req.resume();
      writeResponse(res, gatewayMessage(400, 'Bad Request'));
      return;
    }
    this.respond(req, method, url)
      .catch((error: unknown) => {
        logger.error('local gateway failed', { method, path: url.pathname }, error);
        return internalError() as GatewayResponse;
      })
      .then((response) => {
        writeResponse(res, response);
        logger.info('http', {
          method,
          path: url.pathname,
          status: response.statusCode,
          ms: Math.round(performance.now() - started),
        });
      })
      .catch((error: unknown) => {
        // The client went away mid-response: nothing left to answer, but the server carries on.
        logger.warn('local gateway could not write a response', { method, path: url.pathname }, error);
      });
  };

  private async respond(req: IncomingMessage, method: string, url: URL): Promise<GatewayResponse> {
    const local = await this.options.localRoutes?.({ method, path: url.pathname, query: url.searchParams });
    if (local !== undefined) {
      req.resume();
      return local;
    }
    const match = this.match(method, url.pathname);
    if (match === 'bad-path') {
      req.resume();
      return gatewayMessage(400, 'Bad Request');
    }
    if (match === undefined) {
      req.resume();
      return notFound();
    }
    const body = await readBody(req);
    if (body === 'too-large') return gatewayMessage(413, 'Request Entity Too Large');
    const event = buildEvent(req, method, url, match.route, match.pathParameters, body);
    const authorizer = await this.authorize(match.route, event);
    if ('statusCode' in authorizer) return authorizer;
    event.requestContext.authorizer = authorizer.context;
    return this.invokeRoute(match.route, event);
  }

  private match(
    method: string,
    path: string,
  ): { route: RouteDefinition; pathParameters: Record<string, string> } | 'bad-path' | undefined {
    for (const { route, pattern, names } of this.compiled) {
      if (route.method !== method) continue;
      const found = pattern.exec(path);
      if (found === null) continue;
      const pathParameters: Record<string, string> = {};
      for (const [index, name] of names.entries()) {
        try {
          pathParameters[name] = decodeURIComponent(found[index + 1] ?? '');
        } catch {
          return 'bad-path';
        }
      }
      return { route, pathParameters };
    }
    // HTTP APIs have no 405: a path served only for other methods is as unknown as any other.
    return undefined;
  }

  private async authorize(
    route: RouteDefinition,
    event: HttpEvent,
  ): Promise<GatewayResponse | { context: NonNullable<HttpEvent['requestContext']['authorizer']> }> {
    if (route.auth.kind === 'jwt') {
      const claims: JwtClaims | undefined = await this.options.issuer.verify(event.headers.authorization);
      if (claims === undefined) return gatewayMessage(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
      const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : null;
      return { context: { jwt: { claims, scopes } } };
    }
    // The protected API's identity sources: API Gateway answers 401 itself when one is missing.
    const identitySource = [event.headers.authorization, event.headers['x-account-id']];
    if (identitySource.some((value) => value === undefined || value === '')) {
      return gatewayMessage(401, 'Unauthorized');
    }
    const authorize = await this.load(this.options.authorizerModule ?? AUTHORIZER_MODULE);
    if ('statusCode' in authorize) return authorize;
    const authorizerEvent = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${LOCAL_ARN_PREFIX}/${route.method}${route.path}`,
      identitySource,
      routeKey: event.routeKey,
      rawPath: event.rawPath,
      rawQueryString: event.rawQueryString,
      cookies: event.cookies,
      headers: event.headers,
      queryStringParameters: event.queryStringParameters,
      requestContext: event.requestContext,
      pathParameters: event.pathParameters,
      stageVariables: event.stageVariables,
    };
    let result: unknown;
    try {
      result = await authorize(authorizerEvent, lambdaContext('Authorizer'));
    } catch (error) {
      logger.error('local gateway: the authorizer threw', { route: event.routeKey }, error);
      return internalError();
    }
    if (!isSimpleAuthorizerResponse(result)) {
      logger.error('local gateway: the authorizer returned no simple response', { route: event.routeKey });
      return internalError();
    }
    if (!result.isAuthorized) return gatewayMessage(403, 'Forbidden');
    return { context: { lambda: result.context ?? {} } };
  }

  private async invokeRoute(route: RouteDefinition, event: HttpEvent): Promise<GatewayResponse> {
    const handler = await this.load(route.handler);
    if ('statusCode' in handler) return handler;
    try {
      return toGatewayResponse(await handler(event, lambdaContext(route.id)));
    } catch (error) {
      logger.error('local gateway: the handler threw', { route: event.routeKey }, error);
      return internalError();
    }
  }

  /**
   * Imports a handler module on first use, so the server starts while some handlers are still being
   * written; a module that does not exist yet answers 501 and is looked for again on the next request.
   */
  private async load(modulePath: string): Promise<LambdaFunction | GatewayResponse> {
    let pending = this.modules.get(modulePath);
    if (pending === undefined) {
      const file = join(this.options.projectRoot, modulePath);
      try {
        await access(file);
      } catch {
        return {
          statusCode: 501,
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            error: { code: 'not_implemented', message: `${modulePath} does not exist yet` },
          }),
        };
      }
      pending = import(pathToFileURL(file).href).then((module: Record<string, unknown>) => {
        const handler = module.handler;
        if (typeof handler !== 'function')
          throw new Error(`${modulePath} does not export a handler function`);
        return handler as LambdaFunction;
      });
      this.modules.set(modulePath, pending);
      pending.catch(() => this.modules.delete(modulePath));
    }
    try {
      return await pending;
    } catch (error) {
      // A module that fails to load is a Lambda that fails its cold start: API Gateway says 500.
      logger.error('local gateway: could not load a handler', { module: modulePath }, error);
      return internalError();
    }
  }
}

function compileRoutes(routes: readonly RouteDefinition[]): CompiledRoute[] {
  const seen = new Set<string>();
  const compiled = routes.map((route) => {
    const key = routeKey(route);
    if (seen.has(key)) throw new Error(`Two routes share ${key}`);
    seen.add(key);
    const names: string[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const param = /^\{([A-Za-z0-9_]+)(\+?)\}$/.exec(segment);
        if (param === null) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        names.push(param[1] ?? '');
        return param[2] === '+' ? '(.+)' : '([^/]+)';
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), names };
  });
  // API Gateway prefers the most specific route: fewer variables, then no greedy variable.
  return compiled.sort(
    (a, b) =>
      a.names.length - b.names.length ||
      Number(a.route.path.includes('+}')) - Number(b.route.path.includes('+}')),
  );
}

/**
 * Buffers the body up to MAX_BUFFERED_BODY_BYTES. Past that it keeps reading and drops the rest, so
 * the client still receives the 413 instead of a reset connection.
 */
function readBody(req: IncomingMessage): Promise<string | undefined | 'too-large'> {
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

function buildEvent(
  req: IncomingMessage,
  method: string,
  url: URL,
  route: RouteDefinition,
  pathParameters: Record<string, string>,
  body: string | undefined,
): HttpEvent {
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
  const key = routeKey(route);
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

function lambdaContext(functionName: string): Context {
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

function isSimpleAuthorizerResponse(
  value: unknown,
): value is { isAuthorized: boolean; context?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || !('isAuthorized' in value)) return false;
  if (typeof value.isAuthorized !== 'boolean') return false;
  const context = 'context' in value ? value.context : undefined;
  return context === undefined || (typeof context === 'object' && context !== null);
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
function toGatewayResponse(result: unknown): GatewayResponse {
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

function writeResponse(res: ServerResponse, response: GatewayResponse): void {
  const body = typeof response.body === 'string' ? Buffer.from(response.body, 'utf8') : response.body;
  res.statusCode = response.statusCode;
  for (const [name, value] of Object.entries(response.headers)) res.setHeader(name, value);
  if (response.cookies !== undefined && response.cookies.length > 0)
    res.setHeader('set-cookie', [...response.cookies]);
  res.setHeader('content-length', body.length);
  res.setHeader('apigw-requestid', randomBytes(8).toString('base64url'));
  res.end(body);
}
