import type { APIGatewayAuthorizerResult, APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { seedAccount } from '../../support/accounts';
import { httpApiEvent, issueKey, restRequestEvent, restTokenEvent, STAGE_ARN } from './support';

// A team's own API: the stack's construct hands the authorizer its routes in this setting, read at
// cold start, so it is set before the handler module is first imported.
process.env.LATCHKEY_PROTECTED_ROUTES = JSON.stringify([
  { method: 'GET', path: '/orders/{orderId}', permission: 'stores', scope: 'site' },
  { method: 'GET', path: '/me', permission: 'sites.list', scope: 'account' },
  { method: 'ANY', path: '/contacts/{proxy+}', permission: 'contacts', scope: 'site' },
]);
const { handler } = await import('../../../functions/authorizer/authorize');

describe('LATCHKEY_PROTECTED_ROUTES', () => {
  it("guards the team's routes and nothing from the built-in table", async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account, { permissions: ['sites.list', 'stores'] });
    const caller = {
      authorization: key.token,
      accountId: account.accountId,
      siteId: account.sites[0]?.siteId,
    };
    const decide = async (routeKey: string) =>
      (
        (await handler(
          httpApiEvent(routeKey, caller),
        )) as APIGatewaySimpleAuthorizerWithContextResult<unknown>
      ).isAuthorized;
    expect(await decide('GET /orders/{orderId}')).toBe(true);
    expect(await decide('GET /me')).toBe(true);
    expect(await decide('GET /v1/sites')).toBe(false);
    expect(await decide('POST /contacts/{proxy+}')).toBe(false);
  });

  it('matches a REST request by its resource template and a TOKEN method ARN by its concrete path', async () => {
    const { account } = await seedAccount();
    const key = await issueKey(account, { permissions: ['sites.list', 'stores', 'contacts'] });
    const site = account.sites[0]?.siteId;
    const request = (await handler(
      restRequestEvent(
        'PUT',
        '/contacts/{proxy+}',
        { authorization: key.token, accountId: account.accountId, siteId: site },
        '/contacts/c-1/notes',
      ),
    )) as APIGatewayAuthorizerResult;
    expect(request.policyDocument.Statement).toEqual([
      {
        Action: 'execute-api:Invoke',
        Effect: 'Allow',
        Resource: [`${STAGE_ARN}/GET/orders/*`, `${STAGE_ARN}/GET/me`, `${STAGE_ARN}/*/contacts/*`],
      },
    ]);
    const token = (await handler(
      restTokenEvent('GET', '/orders/o-42', key.token),
    )) as APIGatewayAuthorizerResult;
    expect(token.policyDocument.Statement).toEqual([
      { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: [`${STAGE_ARN}/GET/me`] },
      { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: [`${STAGE_ARN}/GET/orders/o-42`] },
    ]);
  });
});
