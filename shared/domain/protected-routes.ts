import { RouteMatcher } from '../route-matcher';
import { isPermissionId, type PermissionId, type PermissionScope } from './permissions';

/** A route guarded by the authorizer. `path` uses API Gateway syntax (`/v1/items/{id}`, `{proxy+}`, `$default`). */
export interface ProtectedRoute {
  /** An HTTP method, or `ANY`. */
  readonly method: string;
  readonly path: string;
  readonly permission: PermissionId;
  readonly scope: PermissionScope;
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

/** Reads `LATCHKEY_PROTECTED_ROUTES`: a JSON array of `{method, path, permission, scope}`. */
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
  const [method, path, permission, scope] = ['method', 'path', 'permission', 'scope'].map((f) =>
    fields.get(f),
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
  return { method: method.toUpperCase(), path, permission, scope };
}
