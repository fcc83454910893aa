import type { Access, PermissionId, PermissionScope } from './domain/permissions';

/**
 * The shape of one route in the route table (routes.ts): its method and path, who authenticates it,
 * and what its function may touch. Apart from the table so the table file is the routes themselves.
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
