import { describe, expect, it } from 'vitest';
import { grantedRoutes, parseMethodArn, routeArn } from '../../../functions/authorizer/rest-policy';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import type { ProtectedRoute } from '../../../shared/domain/protected-routes';

const ROUTES: ProtectedRoute[] = [
  { method: 'GET', path: '/v1/sites', permission: 'sites.list', scope: 'account' },
  { method: 'GET', path: '/orders/{orderId}', permission: 'stores', scope: 'site' },
  { method: 'ANY', path: '/contacts/{proxy+}', permission: 'contacts', scope: 'site' },
];

describe('REST policy resources', () => {
  const stage = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3/live';

  it('parses a method ARN and builds route ARNs with parameters as wildcards', () => {
    expect(parseMethodArn(`${stage}/GET/orders/o-1`)).toEqual({
      stageArn: stage,
      method: 'GET',
      path: '/orders/o-1',
    });
    expect(parseMethodArn('arn:aws:s3:::bucket')).toBeUndefined();
    expect(ROUTES.map((r) => routeArn(stage, r))).toEqual([
      `${stage}/GET/v1/sites`,
      `${stage}/GET/orders/*`,
      `${stage}/*/contacts/*`,
    ]);
  });

  it('grants site routes only with a verified site', () => {
    const key = { permissions: ['sites.list', 'stores'] } as unknown as ApiKeyRecord;
    expect(grantedRoutes(ROUTES, key, undefined)).toEqual([ROUTES[0]]);
    expect(grantedRoutes(ROUTES, key, 'site-1')).toEqual([ROUTES[0], ROUTES[1]]);
  });
});
