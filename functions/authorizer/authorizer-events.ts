import type {
  APIGatewayAuthorizerResult,
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewaySimpleAuthorizerWithContextResult,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import {
  type ApiKeyContext,
  type AuthorizationDecision,
  type AuthorizationRequest,
  apiKeyContextOf,
} from '../../shared/domain/authorization';
import type { ProtectedRouteTable } from '../../shared/domain/protected-routes';
import { parseMethodArn, restPolicyResult } from './rest-policy';

/**
 * Translation between API Gateway's three authorizer event kinds and the domain's request and
 * decision. No I/O here: the handler does the one read through the domain.
 */
export type AuthorizerEvent =
  | APIGatewayRequestAuthorizerEventV2
  | APIGatewayRequestAuthorizerEvent
  | APIGatewayTokenAuthorizerEvent;

export type AuthorizerResult =
  | APIGatewaySimpleAuthorizerWithContextResult<ApiKeyContext | Record<string, never>>
  | APIGatewayAuthorizerResult;

export type EventKind = 'http-api' | 'rest-request' | 'rest-token';

export interface ReadEvent {
  readonly kind: EventKind;
  readonly request: AuthorizationRequest;
  /** `METHOD /path` of the request, for the decision log. */
  readonly routeLabel: string;
  /** REST events only: the ARN the IAM policy answers for. */
  readonly methodArn: string | undefined;
}

export function readAuthorizerEvent(event: AuthorizerEvent, routes: ProtectedRouteTable): ReadEvent {
  if (event.type === 'TOKEN') return readTokenEvent(event, routes);
  // REST REQUEST events (and HTTP API payload 1.0 ones, which also answer with IAM policies).
  if ('methodArn' in event) return readRestRequestEvent(event, routes);
  if (event.version === '2.0') return readHttpApiEvent(event, routes);
  throw new Error('Unsupported authorizer event: expected HTTP API 2.0 REQUEST, REST REQUEST or REST TOKEN');
}

function readTokenEvent(event: APIGatewayTokenAuthorizerEvent, routes: ProtectedRouteTable): ReadEvent {
  const arn = parseMethodArn(event.methodArn);
  return {
    kind: 'rest-token',
    routeLabel: arn === undefined ? 'unknown' : `${arn.method} ${arn.path}`,
    methodArn: event.methodArn,
    request: {
      authorization: event.authorizationToken,
      accountId: undefined,
      siteId: undefined,
      // A TOKEN authorizer sees the token alone: a key limited to addresses is refused there.
      sourceIp: undefined,
      headersVisible: false,
      route: arn === undefined ? undefined : routes.match(arn.method, arn.path)?.route,
    },
  };
}

function readRestRequestEvent(
  event: APIGatewayRequestAuthorizerEvent,
  routes: ProtectedRouteTable,
): ReadEvent {
  return {
    kind: 'rest-request',
    routeLabel: `${event.httpMethod} ${event.resource}`,
    methodArn: event.methodArn,
    request: {
      ...headerFields(event.headers ?? {}),
      headersVisible: true,
      sourceIp: event.requestContext?.identity?.sourceIp ?? undefined,
      route:
        routes.byRouteKey(`${event.httpMethod} ${event.resource}`) ??
        routes.match(event.httpMethod, event.path)?.route,
    },
  };
}

function readHttpApiEvent(event: APIGatewayRequestAuthorizerEventV2, routes: ProtectedRouteTable): ReadEvent {
  // The route API Gateway chose, when this table guards it; otherwise (`$default`, or a catch-all
  // the table refines) the table's most specific route for the concrete request.
  const route =
    routes.byRouteKey(event.routeKey) ??
    routes.match(event.requestContext.http.method, event.requestContext.http.path)?.route;
  const headers = event.headers ?? {};
  return {
    kind: 'http-api',
    routeLabel: event.routeKey,
    methodArn: undefined,
    request: {
      authorization: headerOf(headers, 'authorization'),
      accountId: headerOf(headers, 'x-account-id'),
      siteId: headerOf(headers, 'x-site-id'),
      headersVisible: true,
      sourceIp: event.requestContext.http.sourceIp,
      route,
    },
  };
}

function headerFields(headers: Readonly<Record<string, string | undefined>>) {
  return {
    authorization: headerOf(headers, 'authorization'),
    accountId: headerOf(headers, 'x-account-id'),
    siteId: headerOf(headers, 'x-site-id'),
  };
}

/** HTTP APIs lower-case header names; REST APIs pass them as the caller sent them. */
function headerOf(headers: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() === name) return value;
  }
  return undefined;
}

/** HTTP APIs get the simple response; REST APIs an IAM policy (rest-policy.ts). */
export function authorizerResult(
  read: ReadEvent,
  decision: AuthorizationDecision,
  routes: ProtectedRouteTable,
): AuthorizerResult {
  if (read.methodArn !== undefined) return restPolicyResult(read.methodArn, decision, routes.routes);
  return decision.allowed
    ? { isAuthorized: true, context: apiKeyContextOf(decision.key, decision.siteId, decision.access) }
    : { isAuthorized: false, context: {} };
}
