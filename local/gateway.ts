import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HttpEvent } from '../shared/http/event';
import { logger } from '../shared/logger';
import { RouteMatcher } from '../shared/route-matcher';
import { ROUTES, type RouteDefinition } from '../shared/routes';
import { AuthorizerEmulation } from './authorizer-emulation';
import { type GatewayResponse, gatewayMessage, internalError, readBody, writeResponse } from './http-io';
import type { LocalIssuer } from './issuer';
import { buildEvent, HandlerModules, lambdaContext, toGatewayResponse } from './lambda-invocation';

/**
 * A local stand-in for API Gateway (HTTP API, payload 2.0) in front of the route table's handler
 * modules: it matches a route with the same matcher the authorizer uses, runs the route's
 * authorizer the way API Gateway would, builds the event, invokes the handler and writes its result.
 * Gateway-made answers use API Gateway's own bodies, so a client sees the same thing locally and in AWS.
 */
export const AUTHORIZER_MODULE = 'functions/authorizer/authorize.ts';

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

export class LocalGateway {
  private readonly router: RouteMatcher<RouteDefinition>;
  private readonly modules: HandlerModules;
  private readonly authorizers: AuthorizerEmulation;

  constructor(private readonly options: GatewayOptions) {
    this.router = new RouteMatcher(options.routes ?? ROUTES);
    this.modules = new HandlerModules(options.projectRoot);
    this.authorizers = new AuthorizerEmulation(
      options.issuer,
      this.modules,
      options.authorizerModule ?? AUTHORIZER_MODULE,
    );
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
    // HTTP APIs have no 405: a path served only for other methods is as unknown as any other.
    const match = this.router.match(method, url.pathname);
    const pathParameters = match === undefined ? undefined : decodeParameters(match.pathParameters);
    if (match === undefined || pathParameters === undefined) {
      req.resume();
      return match === undefined ? gatewayMessage(404, 'Not Found') : gatewayMessage(400, 'Bad Request');
    }
    const body = await readBody(req);
    if (body === 'too-large') return gatewayMessage(413, 'Request Entity Too Large');
    const event = buildEvent(req, url, match.route, pathParameters, body);
    const authorizer = await this.authorizers.authorize(match.route, event);
    if ('statusCode' in authorizer) return authorizer;
    event.requestContext.authorizer = authorizer.context;
    return this.invoke(match.route, event);
  }

  private async invoke(route: RouteDefinition, event: HttpEvent): Promise<GatewayResponse> {
    const handler = await this.modules.load(route.handler);
    if ('statusCode' in handler) return handler;
    try {
      return toGatewayResponse(await handler(event, lambdaContext(route.id)));
    } catch (error) {
      logger.error('local gateway: the handler threw', { route: event.routeKey }, error);
      return internalError();
    }
  }
}

/** API Gateway decodes path parameters; one that does not decode is a 400. */
function decodeParameters(raw: Readonly<Record<string, string>>): Record<string, string> | undefined {
  try {
    return Object.fromEntries(Object.entries(raw).map(([name, value]) => [name, decodeURIComponent(value)]));
  } catch {
    return undefined;
  }
}
