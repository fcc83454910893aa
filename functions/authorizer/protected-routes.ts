import { requireEnv, SETTINGS } from '../../shared/config';
import { type ProtectedRouteTable, parseProtectedRoutes } from '../../shared/domain/protected-routes';

/**
 * The routes this authorizer guards, from `LATCHKEY_PROTECTED_ROUTES`: the stack's construct sets it
 * for every API it protects, and local mode and the tests set it from the route table
 * (`apiKeyRoutesSetting`). Read from the setting, not the table, so the table is not in the bundle.
 */
export function protectedRoutes(): ProtectedRouteTable {
  return parseProtectedRoutes(requireEnv(SETTINGS.protectedRoutes), SETTINGS.protectedRoutes);
}
