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
  grantedRoutes,
  iamPolicy,
  type ProtectedRouteTable,
  parseMethodArn,
  routeArn,
} from '../../shared/domain/authorization';

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
}

export function eventKindOf(event: AuthorizerEvent): EventKind {
  if (event.type === 'TOKEN') return 'rest-token';
  if ('version' in event && event.version === '2.0') return 'http-api';
  if (event.type === 'REQUEST' && 'methodArn' in event) return 'rest-request';
  throw new Error('Unsupported authorizer event: expected HTTP API 2.0 REQUEST, REST REQUEST or REST TOKEN');
}

export function readAuthorizerEvent(event: AuthorizerEvent, routes: ProtectedRouteTable): ReadEvent {
  const kind = eventKindOf(event);
  if (kind === 'rest-token') {
    const token = event as APIGatewayTokenAuthorizerEvent;
    const arn = parseMethodArn(token.methodArn);
    return {
      kind,
      routeLabel: arn === undefined ? 'unknown' : `${arn.method} ${arn.path}`,
      request: {
        authorization: token.authorizationToken,
        accountId: undefined,
        siteId: undefined,
        headersVisible: false,
        route: arn === undefined ? undefined : routes.find(arn.method, arn.path),
      },
    };
  }
  if (kind === 'http-api') {
    const http = event as APIGatewayRequestAuthorizerEventV2;
    const [method = '', template = ''] = http.routeKey.split(' ', 2);
    const route =
      routes.find(method, template) ??
      routes.find(http.requestContext.http.method, http.requestContext.http.path);
    return {
      kind,
      routeLabel: http.routeKey,
      request: { ...fromHeaders(http.headers ?? {}), headersVisible: true, route },
    };
  }
  const rest = event as APIGatewayRequestAuthorizerEvent;
  return {
    kind,
    routeLabel: `${rest.httpMethod} ${rest.resource}`,
    request: {
      ...fromHeaders(rest.headers ?? {}),
      headersVisible: true,
      route: routes.find(rest.httpMethod, rest.resource) ?? routes.find(rest.httpMethod, rest.path),
    },
  };
}

function fromHeaders(headers: Readonly<Record<string, string | undefined>>) {
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

/**
 * HTTP APIs get the simple response. REST APIs get an IAM policy that stays correct if API Gateway
 * caches it across routes: a verified key's policy allows exactly the routes its permissions grant
 * (and explicitly denies the route just refused); an unverified token is denied the whole stage.
 */
export function authorizerResult(
  event: AuthorizerEvent,
  kind: EventKind,
  decision: AuthorizationDecision,
  routes: ProtectedRouteTable,
): AuthorizerResult {
  if (kind === 'http-api') {
    return decision.allowed
      ? { isAuthorized: true, context: apiKeyContextOf(decision.key, decision.siteId) }
      : { isAuthorized: false, context: {} };
  }
  const methodArn = (event as APIGatewayRequestAuthorizerEvent | APIGatewayTokenAuthorizerEvent).methodArn;
  const arn = parseMethodArn(methodArn);
  const key = decision.key;
  if (arn === undefined || key === undefined) {
    return {
      principalId: 'latchkey:anonymous',
      policyDocument: iamPolicy('Deny', [arn === undefined ? methodArn : `${arn.stageArn}/*`]),
    };
  }
  const allowed = grantedRoutes(routes.routes, key, decision.siteId).map((route) =>
    routeArn(arn.stageArn, route),
  );
  const statements = [
    ...(allowed.length > 0 ? iamPolicy('Allow', allowed).Statement : []),
    ...(decision.allowed ? [] : iamPolicy('Deny', [methodArn]).Statement),
  ];
  return {
    principalId: key.keyId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context: { ...apiKeyContextOf(key, decision.siteId) },
  };
}
