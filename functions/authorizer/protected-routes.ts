import { optionalEnv, SETTINGS } from '../../shared/config';
import {
  type ProtectedRouteTable,
  parseProtectedRoutes,
  protectedRouteTable,
} from '../../shared/domain/protected-routes';
import { apiKeyRoutes } from '../../shared/routes';

/**
 * The routes this authorizer guards: a team's own API declares them in `LATCHKEY_PROTECTED_ROUTES`
 * (the stack's construct sets it); otherwise the `apiKey` routes of the one route table.
 */
export function protectedRoutes(): ProtectedRouteTable {
  const configured = optionalEnv(SETTINGS.protectedRoutes);
  if (configured !== undefined) return parseProtectedRoutes(configured, SETTINGS.protectedRoutes);
  return protectedRouteTable(apiKeyRoutes().map(({ guard }) => guard));
}
