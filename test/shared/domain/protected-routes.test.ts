import { describe, expect, it } from 'vitest';
import {
  type ProtectedRoute,
  parseProtectedRoutes,
  protectedRouteTable,
} from '../../../shared/domain/protected-routes';

const ROUTES: ProtectedRoute[] = [
  { method: 'GET', path: '/v1/sites', permission: 'sites.list', scope: 'account' },
  { method: 'GET', path: '/orders/{orderId}', permission: 'stores', scope: 'site' },
  { method: 'ANY', path: '/contacts/{proxy+}', permission: 'contacts', scope: 'site' },
];

describe('protectedRouteTable', () => {
  const table = protectedRouteTable(ROUTES);

  it.each([
    ['GET', '/v1/sites', ROUTES[0]],
    ['GET', '/orders/o-123', ROUTES[1]],
    ['DELETE', '/contacts/a/b/c', ROUTES[2]],
    ['POST', '/v1/sites', undefined],
    ['GET', '/orders', undefined],
    ['GET', '/orders/1/items', undefined],
    ['GET', '/contacts', undefined],
    ['GET', '/v1/sites/', undefined],
  ])('%s %s', (method, path, expected) => {
    expect(table.match(method, path)?.route).toEqual(expected);
  });

  it.each([
    [{ ...ROUTES[0], permission: 'nope' }, 'Protected route[0] names unknown permission "nope"'],
    [{ ...ROUTES[0], scope: 'global' }, 'Protected route[0] scope must be account or site'],
    [{ ...ROUTES[0], path: 'v1/x' }, 'is not an API Gateway path'],
    [{ ...ROUTES[0], method: 'FETCH' }, 'is not an HTTP method'],
    [{ method: 'GET', path: '/a' }, 'Protected route[0] needs string method, path, permission and scope'],
  ])('refuses %j', (entry, message) => {
    expect(() => protectedRouteTable([entry])).toThrow(message);
  });

  it('refuses a route declared twice', () => {
    expect(() => protectedRouteTable([ROUTES[0], ROUTES[0]])).toThrow('declared twice');
  });
});

describe('parseProtectedRoutes', () => {
  it('reads a JSON array into the table, lower-case methods included', () => {
    const table = parseProtectedRoutes(
      JSON.stringify(ROUTES.map((r) => ({ ...r, method: r.method.toLowerCase() }))),
      'X',
    );
    expect(table.routes).toEqual(ROUTES);
  });

  it.each([
    ['{', 'X must be a JSON array'],
    ['[]', 'X must be a non-empty JSON array'],
    ['[1]', 'X[0] must be an object'],
    [
      '[{"method":"GET","path":"/a","permission":"stores"}]',
      'X[0] needs string method, path, permission and scope',
    ],
    [
      '[{"method":"GET","path":"/a","permission":"stores","scope":"global"}]',
      'X[0] scope must be account or site',
    ],
  ])('names the setting when %s is wrong', (json, message) => {
    expect(() => parseProtectedRoutes(json, 'X')).toThrow(message);
  });
});
