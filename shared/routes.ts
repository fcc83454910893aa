import type { ProtectedRoute } from './domain/protected-routes';
import type { RouteDefinition } from './route-definitions';
import { routeKeyOf } from './route-matcher';

export type { Grant, HttpMethod, RouteAuth, RouteDefinition } from './route-definitions';

/**
 * The one route table. The CDK stack and the local server both read it, so a route cannot exist in
 * one and not the other; the authorizer reads it to learn each protected route's permission.
 * Keep it free of CDK and AWS SDK imports: Lambda bundles include it.
 */
const jwt = { kind: 'jwt' } as const;

export const ROUTES = [
  {
    id: 'GetAccount',
    api: 'management',
    method: 'GET',
    path: '/v1/account',
    handler: 'functions/account/get-account.ts',
    auth: jwt,
    grants: ['table:read'],
  },
  {
    id: 'ListPermissions',
    api: 'management',
    method: 'GET',
    path: '/v1/permissions',
    handler: 'functions/permissions/list-permissions.ts',
    auth: jwt,
    grants: [],
  },
  {
    id: 'ListApiKeys',
    api: 'management',
    method: 'GET',
    path: '/v1/api-keys',
    handler: 'functions/api-keys/list-api-keys.ts',
    auth: jwt,
    // The pepper signs and checks page cursors.
    grants: ['table:read', 'pepper:decrypt'],
  },
  {
    id: 'GetApiKey',
    api: 'management',
    method: 'GET',
    path: '/v1/api-keys/{keyId}',
    handler: 'functions/api-keys/get-api-key.ts',
    auth: jwt,
    grants: ['table:read'],
  },
  {
    id: 'StartVerification',
    api: 'management',
    method: 'POST',
    path: '/v1/verifications',
    handler: 'functions/verifications/start-verification.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'CreateApiKey',
    api: 'management',
    method: 'POST',
    path: '/v1/api-keys',
    handler: 'functions/api-keys/create-api-key.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'RotateApiKey',
    api: 'management',
    method: 'POST',
    path: '/v1/api-keys/{keyId}/rotate',
    handler: 'functions/api-keys/rotate-api-key.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'DuplicateApiKey',
    api: 'management',
    method: 'POST',
    path: '/v1/api-keys/{keyId}/duplicate',
    handler: 'functions/api-keys/duplicate-api-key.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'UpdateApiKey',
    api: 'management',
    method: 'PATCH',
    path: '/v1/api-keys/{keyId}',
    handler: 'functions/api-keys/update-api-key.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'DeleteApiKey',
    api: 'management',
    method: 'DELETE',
    path: '/v1/api-keys/{keyId}',
    handler: 'functions/api-keys/delete-api-key.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt'],
  },
  {
    id: 'ListAuditEvents',
    api: 'management',
    method: 'GET',
    path: '/v1/audit-events',
    handler: 'functions/audit/list-audit-events.ts',
    auth: jwt,
    // The pepper signs and checks page cursors.
    grants: ['table:read', 'pepper:decrypt'],
  },
  {
    id: 'GetWebhook',
    api: 'management',
    method: 'GET',
    path: '/v1/account/webhook',
    handler: 'functions/webhooks/get-webhook.ts',
    auth: jwt,
    grants: ['table:read', 'pepper:decrypt'],
  },
  {
    id: 'PutWebhook',
    api: 'management',
    method: 'PUT',
    path: '/v1/account/webhook',
    handler: 'functions/webhooks/put-webhook.ts',
    auth: jwt,
    grants: ['table:read', 'table:write', 'pepper:decrypt'],
  },
  {
    id: 'DeleteWebhook',
    api: 'management',
    method: 'DELETE',
    path: '/v1/account/webhook',
    handler: 'functions/webhooks/delete-webhook.ts',
    auth: jwt,
    grants: ['table:read', 'table:write'],
  },
  {
    id: 'ReportTokenLeak',
    api: 'management',
    method: 'POST',
    path: '/v1/token-leaks',
    handler: 'functions/token-leaks/report-token-leak.ts',
    auth: { kind: 'signature' },
    grants: ['table:read', 'table:write', 'mail:send', 'pepper:decrypt', 'leak:reporters'],
  },
  {
    id: 'ListSites',
    api: 'protected',
    method: 'GET',
    path: '/v1/sites',
    handler: 'functions/protected/list-sites.ts',
    auth: { kind: 'apiKey', permission: 'sites.list', scope: 'account' },
    grants: ['account:read'],
  },
  {
    id: 'AddSite',
    api: 'protected',
    method: 'POST',
    path: '/v1/sites',
    handler: 'functions/protected/add-site.ts',
    auth: { kind: 'apiKey', permission: 'accounts.manage', scope: 'account' },
    grants: ['sites:write'],
  },
  {
    id: 'ListProducts',
    api: 'protected',
    method: 'GET',
    path: '/v1/stores/products',
    handler: 'functions/protected/list-products.ts',
    auth: { kind: 'apiKey', permission: 'stores', scope: 'site' },
    grants: ['products:read'],
  },
  {
    id: 'CreateProduct',
    api: 'protected',
    method: 'POST',
    path: '/v1/stores/products',
    handler: 'functions/protected/create-product.ts',
    auth: { kind: 'apiKey', permission: 'stores', scope: 'site' },
    grants: ['products:write'],
  },
] as const satisfies readonly RouteDefinition[];

export type RouteId = (typeof ROUTES)[number]['id'];

/** The API Gateway route key, e.g. `GET /v1/api-keys/{keyId}`. */
export const routeKey: (route: Pick<RouteDefinition, 'method' | 'path'>) => string = routeKeyOf;

const byRouteKey: ReadonlyMap<string, RouteDefinition> = new Map(ROUTES.map((r) => [routeKey(r), r]));

export function findRouteByKey(key: string): RouteDefinition | undefined {
  return byRouteKey.get(key);
}

/** The routes the Latchkey authorizer guards, each with what the authorizer checks for it. */
export function apiKeyRoutes(): { route: RouteDefinition; guard: ProtectedRoute }[] {
  return (ROUTES as readonly RouteDefinition[]).flatMap((route) =>
    route.auth.kind === 'apiKey'
      ? [
          {
            route,
            guard: {
              method: route.method,
              path: route.path,
              permission: route.auth.permission,
              scope: route.auth.scope,
              ...(route.auth.access === undefined ? {} : { access: route.auth.access }),
            },
          },
        ]
      : [],
  );
}

/**
 * LATCHKEY_PROTECTED_ROUTES for the stack's own sample API: what local mode and the tests give the
 * authorizer, as the CDK construct gives it the routes it guards. The authorizer reads only the
 * setting, so the route table stays out of its bundle.
 */
export function apiKeyRoutesSetting(): string {
  return JSON.stringify(apiKeyRoutes().map(({ guard }) => guard));
}
