import { RouteMatcher } from '../route-matcher';
import { type Access, isPermissionId, type PermissionId, type PermissionScope } from './permission-grants';

/** A route guarded by the authorizer. `path` uses API Gateway syntax (`/v1/items/{id}`, `{proxy+}`, `$default`). */
export interface ProtectedRoute {
  /** An HTTP method, or `ANY`. */
  readonly method: string;
  readonly path: string;
  readonly permission: PermissionId;
  readonly scope: PermissionScope;
  /**
   * Whether calling the route reads or writes the permission's data; a read-only key may call only
   * reads. Default: GET, HEAD and OPTIONS read, every other method (and ANY) writes.
   */
  readonly access?: Access | undefined;
}

const READ_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

export function routeAccess(route: Pick<ProtectedRoute, 'method' | 'access'>): Access {
  return route.access ?? (READ_METHODS.has(route.method) ? 'read' : 'write');
}

/** The routes one authorizer guards, matched with API Gateway's precedence. */
export type ProtectedRouteTable = RouteMatcher<ProtectedRoute>;

/**
 * Builds the table. Each route is checked once, here: its fields (`readProtectedRoute`) and its
 * method, path syntax and uniqueness (the matcher).
 */
export function protectedRouteTable(
  routes: readonly unknown[],
  where = 'Protected route',
): ProtectedRouteTable {
  return new RouteMatcher(routes.map((route, index) => readProtectedRoute(route, `${where}[${index}]`)));
}

/** Reads `LATCHKEY_PROTECTED_ROUTES`: a JSON array of `{method, path, permission, scope, access?}`. */
export function parseProtectedRoutes(json: string, settingName: string): ProtectedRouteTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw new Error(`${settingName} must be a JSON array of {method, path, permission, scope}`);
  }
  if (!Array.isArray(parsed) || parsed.length === 0) {
    throw new Error(`${settingName} must be a non-empty JSON array of {method, path, permission, scope}`);
  }
  return protectedRouteTable(parsed, settingName);
}

function readProtectedRoute(entry: unknown, where: string): ProtectedRoute {
  if (typeof entry !== 'object' || entry === null) throw new Error(`${where} must be an object`);
  const fields = new Map<string, unknown>(Object.entries(entry));
  const [method, path, permission, scope, access] = ['method', 'path', 'permission', 'scope', 'access'].map(
    (f) => fields.get(f),
  );
  if (
    typeof method !== 'string' ||
    typeof path !== 'string' ||
    typeof permission !== 'string' ||
    typeof scope !== 'string'
  ) {
    throw new Error(`${where} needs string method, path, permission and scope`);
  }
  if (!isPermissionId(permission)) throw new Error(`${where} names unknown permission "${permission}"`);
  if (scope !== 'account' && scope !== 'site') throw new Error(`${where} scope must be account or site`);
  if (access !== undefined && access !== 'read' && access !== 'write')
    throw new Error(`${where} access must be read or write when given`);
  return {
    method: method.toUpperCase(),
    path,
    permission,
    scope,
    ...(access === undefined ? {} : { access }),
  };
}
