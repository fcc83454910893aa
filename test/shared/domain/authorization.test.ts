import { describe, expect, it } from 'vitest';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import {
  grantedRoutes,
  type ProtectedRoute,
  ProtectedRouteTable,
  parseMethodArn,
  parseProtectedRoutes,
  routeArn,
  tokenFromAuthorization,
} from '../../../shared/domain/authorization';

const ROUTES: ProtectedRoute[] = [
  { method: 'GET', path: '/v1/sites', permission: 'sites.list', scope: 'account' },
  { method: 'GET', path: '/orders/{orderId}', permission: 'stores', scope: 'site' },
  { method: 'ANY', path: '/contacts/{proxy+}', permission: 'contacts', scope: 'site' },
];

describe('ProtectedRouteTable', () => {
  const table = new ProtectedRouteTable(ROUTES);

  it('finds routes by template and by concrete path', () => {
    expect(table.find('GET', '/v1/sites')).toBe(ROUTES[0]);
    expect(table.find('GET', '/orders/{orderId}')).toBe(ROUTES[1]);
    expect(table.find('GET', '/orders/o-123')).toBe(ROUTES[1]);
    expect(table.find('DELETE', '/contacts/a/b/c')).toBe(ROUTES[2]);
  });

  it('knows nothing else', () => {
    expect(table.find('POST', '/v1/sites')).toBeUndefined();
    expect(table.find('GET', '/orders')).toBeUndefined();
    expect(table.find('GET', '/orders/1/items')).toBeUndefined();
    expect(table.find('GET', '/contacts')).toBeUndefined();
    expect(table.find('GET', '/v1/sites/')).toBeUndefined();
  });

  it('refuses a table with an unknown permission, a bad path or a duplicate', () => {
    expect(
      () => new ProtectedRouteTable([{ ...ROUTES[0], permission: 'nope' } as unknown as ProtectedRoute]),
    ).toThrow('unknown permission "nope"');
    expect(() => new ProtectedRouteTable([{ ...(ROUTES[0] as ProtectedRoute), path: 'v1/x' }])).toThrow(
      'is not an API Gateway path',
    );
    expect(() => new ProtectedRouteTable([ROUTES[0] as ProtectedRoute, ROUTES[0] as ProtectedRoute])).toThrow(
      'declared twice',
    );
  });
});

describe('parseProtectedRoutes', () => {
  it('reads a JSON array and names the setting when it is wrong', () => {
    expect(parseProtectedRoutes(JSON.stringify(ROUTES), 'X')).toEqual(ROUTES);
    expect(() => parseProtectedRoutes('{', 'X')).toThrow('X must be a JSON array');
    expect(() => parseProtectedRoutes('[]', 'X')).toThrow('X must be a non-empty JSON array');
    expect(() => parseProtectedRoutes('[{"method":"GET","path":"/a","permission":"stores"}]', 'X')).toThrow(
      'X[0] needs string method, path, permission and scope',
    );
    expect(() =>
      parseProtectedRoutes('[{"method":"GET","path":"/a","permission":"stores","scope":"global"}]', 'X'),
    ).toThrow('X[0] scope must be account or site');
  });
});

describe('tokens in the Authorization header', () => {
  it('accepts the raw token or Bearer <token>', () => {
    expect(tokenFromAuthorization('lk_abc')).toBe('lk_abc');
    expect(tokenFromAuthorization('Bearer lk_abc')).toBe('lk_abc');
    expect(tokenFromAuthorization('bearer   lk_abc ')).toBe('lk_abc');
    expect(tokenFromAuthorization(undefined)).toBeUndefined();
  });
});

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
