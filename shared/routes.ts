import type { Access, PermissionId, PermissionScope } from './domain/permissions';
import type { ProtectedRoute } from './domain/protected-routes';
import { routeKeyOf } from './route-matcher';

/**
 * The one route table. The CDK stack and the local server both read it, so a route cannot exist in
 * one and not the other; the authorizer reads it to learn each protected route's permission.
 * Keep it free of CDK and AWS SDK imports: Lambda bundles include it.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What a route's function may touch; the stack grants exactly these and nothing else. */
export type Grant =
  | 'table:read' // GetItem / Query on every item of the Latchkey table and its indexes
  | 'table:write' // PutItem / UpdateItem / DeleteItem on every item of the Latchkey table
  | 'account:read' // GetItem of the account item's own fields (its sites)
  | 'sites:write' // the account's site list, and the copy of its site ids on each of its keys
  | 'products:read' // Query of a site's products
  | 'products:write' // PutItem of a product
  | 'mail:send' // ses:SendEmail from the configured identity
  | 'pepper:decrypt' // kms:Decrypt of the pepper data key
  | 'leak:reporters'; // the trusted leak-reporter public keys (a setting, no IAM)

export type RouteAuth =
  /** Management API: API Gateway's JWT authorizer; the handler reads the subject from the claims. */
  | { readonly kind: 'jwt' }
  /**
   * Protected API: the Latchkey Lambda authorizer checks the API key for this permission. `access`
   * says whether the route reads or writes; left out, GET, HEAD and OPTIONS read and the rest write.
   */
  | {
      readonly kind: 'apiKey';
      readonly permission: PermissionId;
      readonly scope: PermissionScope;
      readonly access?: Access;
    }
  /**
   * No gateway authorizer: the handler authenticates the request itself (a leak report carries the
   * reporter's signature over its body, which only the handler can check).
   */
  | { readonly kind: 'signature' };

export interface RouteDefinition {
  /** Stable id: construct ids and function names derive from it. */
  readonly id: string;
  /** Which API Gateway API serves the route. */
  readonly api: 'management' | 'protected';
  readonly method: HttpMethod;
  /** API Gateway path syntax, e.g. `/v1/api-keys/{keyId}`. */
  readonly path: string;
  /** Handler file relative to the repository root; it exports `handler`. */
  readonly handler: string;
  readonly auth: RouteAuth;
  readonly grants: readonly Grant[];
}

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
