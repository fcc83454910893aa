import type { APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { PermissionId } from '../../../shared/domain/permissions';
import { seedAccount } from '../../support/accounts';
import { httpApiEvent, issueKey } from './support';

// The catch-all is declared first on purpose: a first-declared-first matcher checked
// `/v1/admin/42` against `sites.list` (issue: a sites.list key reached an accounts.manage route).
process.env.LATCHKEY_PROTECTED_ROUTES = JSON.stringify([
  { method: 'GET', path: '/v1/{proxy+}', permission: 'sites.list', scope: 'account' },
  { method: 'GET', path: '/v1/admin/{id}', permission: 'accounts.manage', scope: 'account' },
]);
const { handler } = await import('../../../functions/authorizer/authorize');

/** The event API Gateway sends when the request reached the API's `$default` (or a catch-all) route. */
async function decide(routeKey: string, path: string, permissions: PermissionId[]): Promise<boolean> {
  const { account } = await seedAccount();
  const key = await issueKey(account, { permissions });
  const event = httpApiEvent(`GET ${path}`, { authorization: key.token, accountId: account.accountId });
  const result = (await handler({
    ...event,
    routeKey,
    requestContext: { ...event.requestContext, routeKey },
  })) as APIGatewaySimpleAuthorizerWithContextResult<unknown>;
  return result.isAuthorized;
}

describe('route precedence in the authorizer', () => {
  it.each([
    ['$default', '/v1/admin/42', ['sites.list'], false],
    ['$default', '/v1/admin/42', ['accounts.manage'], true],
    ['ANY /{proxy+}', '/v1/admin/42', ['sites.list'], false],
    ['ANY /{proxy+}', '/v1/admin/42', ['accounts.manage'], true],
    ['$default', '/v1/sites/anything', ['sites.list'], true],
    ['$default', '/v1/sites/anything', ['accounts.manage'], false],
  ] as const)('under %s, GET %s with %j is allowed: %s', async (routeKey, path, permissions, allowed) => {
    expect(await decide(routeKey, path, [...permissions])).toBe(allowed);
  });
});
