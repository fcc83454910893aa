import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { ApiKeyRecord } from '../../shared/domain/api-keys';
import { type AuthorizationDecision, apiKeyContextOf } from '../../shared/domain/authorization';
import { accessTo } from '../../shared/domain/permission-grants';
import { type ProtectedRoute, routeAccess } from '../../shared/domain/protected-routes';
import { DEFAULT_ROUTE } from '../../shared/route-matcher';

/**
 * REST APIs answer with an IAM policy rather than a yes or no. It stays correct if API Gateway
 * caches it across routes: a verified key's policy allows exactly the routes its permissions grant
 * (and explicitly denies the route just refused); an unverified token is denied the whole stage.
 */
export function restPolicyResult(
  methodArn: string,
  decision: AuthorizationDecision,
  routes: readonly ProtectedRoute[],
): APIGatewayAuthorizerResult {
  const arn = parseMethodArn(methodArn);
  const key = decision.key;
  if (arn === undefined || key === undefined) {
    return {
      principalId: 'latchkey:anonymous',
      policyDocument: iamPolicy('Deny', [arn === undefined ? methodArn : `${arn.stageArn}/*`]),
    };
  }
  const allowed = grantedRoutes(routes, key, decision.siteId)
    .filter((route) => route.path !== DEFAULT_ROUTE)
    .map((route) => routeArn(arn.stageArn, route));
  // `$default` catches whatever no other route does, which an ARN pattern cannot express: a request
  // it allowed is allowed for its own ARN only.
  if (decision.allowed && decision.route.path === DEFAULT_ROUTE) allowed.push(methodArn);
  const statements = [
    ...(allowed.length > 0 ? iamPolicy('Allow', allowed).Statement : []),
    ...(decision.allowed ? [] : iamPolicy('Deny', [methodArn]).Statement),
  ];
  return {
    principalId: key.keyId,
    policyDocument: { Version: '2012-10-17', Statement: statements },
    context: { ...apiKeyContextOf(key, decision.siteId, decision.allowed ? decision.access : undefined) },
  };
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`, split into its parts. */
export interface MethodArn {
  /** Everything up to and including the stage: `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>`. */
  readonly stageArn: string;
  readonly method: string;
  /** The concrete request path with a leading slash. */
  readonly path: string;
}

export function parseMethodArn(arn: string): MethodArn | undefined {
  const match = /^(arn:[a-z-]+:execute-api:[a-z0-9-]+:\d{12}:[A-Za-z0-9]+\/[^/]+)\/([A-Z]+|\*)\/?(.*)$/.exec(
    arn,
  );
  if (match === null) return undefined;
  const [, stageArn, method, path] = match;
  if (stageArn === undefined || method === undefined || path === undefined) return undefined;
  return { stageArn, method, path: `/${path}` };
}

/**
 * The execute-api ARN of one route. Path parameters become `*`; IAM's `*` also matches `/`, so a
 * parameter route also covers deeper paths under it: declare such routes under one permission.
 */
export function routeArn(stageArn: string, route: ProtectedRoute): string {
  const method = route.method === 'ANY' ? '*' : route.method;
  const path = route.path
    .split('/')
    .map((segment) => (segment.startsWith('{') ? '*' : segment))
    .join('/');
  return `${stageArn}/${method}${path}`;
}

/**
 * The routes a verified key may call: every route whose permission it holds, only the reading ones
 * where it holds the permission read-only; site-scoped routes only when the request named a site
 * the key may reach (the policy is then specific to that site, so `x-site-id` must be an identity
 * source whenever API Gateway caches policies).
 */
export function grantedRoutes(
  routes: readonly ProtectedRoute[],
  key: ApiKeyRecord,
  siteId: string | undefined,
): ProtectedRoute[] {
  return routes.filter((route) => {
    const access = accessTo(key.permissions, route.permission);
    if (access === undefined || (access === 'read' && routeAccess(route) === 'write')) return false;
    return route.scope === 'account' || siteId !== undefined;
  });
}

interface IamPolicy {
  Version: '2012-10-17';
  Statement: { Action: 'execute-api:Invoke'; Effect: 'Allow' | 'Deny'; Resource: string[] }[];
}

function iamPolicy(effect: 'Allow' | 'Deny', resources: readonly string[]): IamPolicy {
  return {
    Version: '2012-10-17',
    Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: [...resources] }],
  };
}
