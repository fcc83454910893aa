import { describe, expect, it } from 'vitest';
import { RouteMatcher, type RouteShape, routeKeyOf } from '../../shared/route-matcher';

/**
 * API Gateway's precedence, whatever the declaration order. Each row declares its routes in the
 * order given (the least specific first where that would fool a first-match matcher) and checks that
 * the request lands on the expected route key, or on none.
 */
const route = (key: string): RouteShape => {
  if (key === '$default') return { method: 'ANY', path: '$default' };
  const [method = '', path = ''] = key.split(' ');
  return { method, path };
};

const cases: { routes: string[]; request: string; expected: string | undefined }[] = [
  // Literal beats parameter beats greedy, in either declaration order.
  {
    routes: ['GET /v1/{proxy+}', 'GET /v1/admin/{id}'],
    request: 'GET /v1/admin/42',
    expected: 'GET /v1/admin/{id}',
  },
  {
    routes: ['GET /v1/admin/{id}', 'GET /v1/{proxy+}'],
    request: 'GET /v1/admin/42',
    expected: 'GET /v1/admin/{id}',
  },
  { routes: ['GET /pets/{id}', 'GET /pets/dog'], request: 'GET /pets/dog', expected: 'GET /pets/dog' },
  { routes: ['GET /pets/dog', 'GET /pets/{id}'], request: 'GET /pets/cat', expected: 'GET /pets/{id}' },
  { routes: ['GET /pets/{proxy+}', 'GET /pets/{id}'], request: 'GET /pets/7', expected: 'GET /pets/{id}' },
  {
    routes: ['GET /pets/{proxy+}', 'GET /pets/{id}'],
    request: 'GET /pets/7/toys',
    expected: 'GET /pets/{proxy+}',
  },
  {
    routes: ['GET /{proxy+}', 'GET /pets/{proxy+}'],
    request: 'GET /pets/7/toys',
    expected: 'GET /pets/{proxy+}',
  },
  { routes: ['GET /{proxy+}', 'GET /pets/{proxy+}'], request: 'GET /toys/1', expected: 'GET /{proxy+}' },
  // The docs' example: exact, then parameter, then greedy, then ANY greedy, then $default.
  {
    routes: ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'],
    request: 'GET /pets/dog/1',
    expected: 'GET /pets/dog/1',
  },
  {
    routes: ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'],
    request: 'GET /pets/dog/2',
    expected: 'GET /pets/dog/{id}',
  },
  {
    routes: ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'],
    request: 'GET /pets/cat/1',
    expected: 'GET /pets/{proxy+}',
  },
  {
    routes: ['$default', 'ANY /{proxy+}', 'GET /pets/{proxy+}', 'GET /pets/dog/{id}', 'GET /pets/dog/1'],
    request: 'POST /pets/dog/1',
    expected: 'ANY /{proxy+}',
  },
  { routes: ['$default', 'GET /pets/dog/1'], request: 'GET /', expected: '$default' },
  { routes: ['$default', 'GET /pets'], request: 'DELETE /pets', expected: '$default' },
  // Left to right: the first segment that differs decides.
  { routes: ['GET /{a}/b', 'GET /a/{b}'], request: 'GET /a/b', expected: 'GET /a/{b}' },
  { routes: ['GET /a/{b}', 'GET /{a}/b'], request: 'GET /a/b', expected: 'GET /a/{b}' },
  { routes: ['GET /{a}/b', 'GET /a/{b}'], request: 'GET /x/b', expected: 'GET /{a}/b' },
  { routes: ['GET /a/{b}/{c}', 'GET /a/{b}/c'], request: 'GET /a/1/c', expected: 'GET /a/{b}/c' },
  // Specific methods before ANY on the same path.
  { routes: ['ANY /items', 'GET /items'], request: 'GET /items', expected: 'GET /items' },
  { routes: ['ANY /items', 'GET /items'], request: 'PUT /items', expected: 'ANY /items' },
  {
    routes: ['ANY /items/{id}', 'DELETE /items/{id}'],
    request: 'DELETE /items/1',
    expected: 'DELETE /items/{id}',
  },
  {
    routes: ['ANY /items/{proxy+}', 'GET /items/{proxy+}'],
    request: 'GET /items/1/2',
    expected: 'GET /items/{proxy+}',
  },
  // A more specific path wins even over a specific method on a less specific one.
  {
    routes: ['GET /items/{id}', 'ANY /items/special'],
    request: 'GET /items/special',
    expected: 'ANY /items/special',
  },
  // A method that does not match falls through to the next most specific route.
  { routes: ['GET /items/1', 'POST /items/{id}'], request: 'POST /items/1', expected: 'POST /items/{id}' },
  // Nothing matches.
  { routes: ['GET /items'], request: 'POST /items', expected: undefined },
  { routes: ['GET /items/{id}'], request: 'GET /items', expected: undefined },
  { routes: ['GET /items/{id}'], request: 'GET /items/1/2', expected: undefined },
  { routes: ['GET /items/{proxy+}'], request: 'GET /items', expected: undefined },
  { routes: ['GET /items'], request: 'GET /items/', expected: undefined },
  { routes: ['GET /items/{id}'], request: 'GET /items//', expected: undefined },
  { routes: ['GET /Items'], request: 'GET /items', expected: undefined },
  { routes: ['GET /'], request: 'GET /', expected: 'GET /' },
  { routes: ['GET /', 'GET /{proxy+}'], request: 'GET /a', expected: 'GET /{proxy+}' },
  { routes: ['GET /v1/sites', 'GET /v1/{proxy+}'], request: 'GET /v1/sites', expected: 'GET /v1/sites' },
];

describe('RouteMatcher precedence', () => {
  it.each(cases)('$request among $routes -> $expected', ({ routes, request, expected }) => {
    const matcher = new RouteMatcher(routes.map(route));
    const [method = '', path = ''] = request.split(' ');
    const found = matcher.match(method, path);
    expect(found === undefined ? undefined : routeKeyOf(found.route)).toBe(expected);
  });

  it('has at least 30 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(30);
  });
});

describe('RouteMatcher captures and lookups', () => {
  const matcher = new RouteMatcher([route('GET /a/{x}/b/{proxy+}'), route('POST /items/{id}')]);

  it.each([
    ['GET', '/a/1/b/c/d', { x: '1', proxy: 'c/d' }],
    ['POST', '/items/a%20b', { id: 'a%20b' }],
  ])('%s %s captures %j, still encoded', (method, path, parameters) => {
    expect(matcher.match(method, path)?.pathParameters).toEqual(parameters);
  });

  it.each([
    ['GET /a/{x}/b/{proxy+}', 'GET /a/{x}/b/{proxy+}'],
    ['POST /items/{id}', 'POST /items/{id}'],
    ['GET /items/{id}', undefined],
    ['$default', undefined],
  ])('finds the route key %s exactly', (key, expected) => {
    const found = matcher.byRouteKey(key);
    expect(found === undefined ? undefined : routeKeyOf(found)).toBe(expected);
  });

  it.each([
    [['GET /a', 'GET /a'], 'declared twice'],
    [['GET a'], 'is not an API Gateway path'],
    [['GET /a/{proxy+}/b'], 'is not an API Gateway path'],
    [['GET /a%zz'], 'is not an API Gateway path'],
    [['GET /a/{x'], 'is not an API Gateway path'],
    [['FETCH /a'], 'is not an HTTP method'],
    [['$default', '$default'], 'declared twice'],
  ])('refuses %j: %s', (routes, message) => {
    expect(() => new RouteMatcher(routes.map(route))).toThrow(message);
  });
});
