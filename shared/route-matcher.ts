/**
 * The one route matcher. The authorizer uses it to find a request's permission and the local gateway
 * to find a request's handler, so the two cannot disagree about which route a request is for.
 *
 * It follows API Gateway's precedence, whatever order the routes are declared in: a literal segment
 * beats a `{param}`, which beats a greedy `{proxy+}` (compared left to right); on the same path a
 * specific method beats `ANY`; `$default` only catches what nothing else matches. Declaration order
 * must not matter: with first-declared-first, `GET /v1/{proxy+}` declared before
 * `GET /v1/admin/{id}` would check `/v1/admin/42` against the catch-all's permission.
 */

/** The part of a route the matcher reads: an HTTP method (or `ANY`) and an API Gateway path or `$default`. */
export interface RouteShape {
  readonly method: string;
  readonly path: string;
}

export interface RouteMatch<R extends RouteShape> {
  readonly route: R;
  /** Captured path variables as sent (still percent-encoded). */
  readonly pathParameters: Readonly<Record<string, string>>;
}

export const DEFAULT_ROUTE = '$default';
const METHOD_PATTERN = /^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS|ANY)$/;
const LITERAL_SEGMENT = /^[A-Za-z0-9._~-]+$/;
const VARIABLE_SEGMENT = /^\{([A-Za-z0-9_]+)(\+?)\}$/;

/** A path segment's rank: lower is more specific. */
const Rank = { Literal: 0, Variable: 1, Greedy: 2 } as const;
type Rank = (typeof Rank)[keyof typeof Rank];

interface Segment {
  readonly rank: Rank;
  /** The literal text, or the variable's name. */
  readonly text: string;
}

interface CompiledRoute<R extends RouteShape> {
  readonly route: R;
  readonly segments: readonly Segment[];
}

/** The route key API Gateway uses: `GET /v1/items/{id}`, or `$default`. */
export function routeKeyOf(route: RouteShape): string {
  return route.path === DEFAULT_ROUTE ? DEFAULT_ROUTE : `${route.method} ${route.path}`;
}

export class RouteMatcher<R extends RouteShape> {
  private readonly compiled: readonly CompiledRoute<R>[];
  private readonly byKey = new Map<string, R>();
  private readonly fallback: R | undefined;

  /** Validates every route once: an unknown method, a malformed path or a repeated route key throws. */
  constructor(readonly routes: readonly R[]) {
    const compiled: CompiledRoute<R>[] = [];
    let fallback: R | undefined;
    for (const route of routes) {
      const key = routeKeyOf(route);
      if (this.byKey.has(key)) throw new Error(`Route ${key} is declared twice`);
      this.byKey.set(key, route);
      if (route.path === DEFAULT_ROUTE) {
        fallback = route;
        continue;
      }
      if (!METHOD_PATTERN.test(route.method))
        throw new Error(`Route ${key}: "${route.method}" is not an HTTP method`);
      compiled.push({ route, segments: compilePath(route.path, key) });
    }
    this.compiled = compiled;
    this.fallback = fallback;
  }

  /** The route a route key names exactly (`GET /v1/items/{id}`, `$default`), as API Gateway reports it. */
  byRouteKey(key: string): R | undefined {
    return this.byKey.get(key);
  }

  /** The most specific route for a concrete request, or undefined when none (not even `$default`) matches. */
  match(method: string, path: string): RouteMatch<R> | undefined {
    const requestSegments = path === '/' ? [] : path.split('/').slice(1);
    let best: { compiled: CompiledRoute<R>; pathParameters: Record<string, string> } | undefined;
    for (const candidate of this.compiled) {
      if (candidate.route.method !== method && candidate.route.method !== 'ANY') continue;
      const pathParameters = capture(candidate.segments, requestSegments);
      if (pathParameters === undefined) continue;
      if (best === undefined || moreSpecific(candidate, best.compiled))
        best = { compiled: candidate, pathParameters };
    }
    if (best !== undefined) return { route: best.compiled.route, pathParameters: best.pathParameters };
    return this.fallback === undefined ? undefined : { route: this.fallback, pathParameters: {} };
  }
}

function compilePath(path: string, key: string): Segment[] {
  const invalid = () => new Error(`Route ${key}: "${path}" is not an API Gateway path`);
  if (!path.startsWith('/')) throw invalid();
  if (path === '/') return [];
  const segments = path
    .slice(1)
    .split('/')
    .map((text): Segment => {
      if (LITERAL_SEGMENT.test(text)) return { rank: Rank.Literal, text };
      const variable = VARIABLE_SEGMENT.exec(text);
      if (variable === null) throw invalid();
      return { rank: variable[2] === '+' ? Rank.Greedy : Rank.Variable, text: variable[1] ?? '' };
    });
  // A greedy variable must be the last segment.
  if (segments.slice(0, -1).some((s) => s.rank === Rank.Greedy)) throw invalid();
  return segments;
}

/** The captured variables when `segments` match the request's segments, else undefined. */
function capture(
  segments: readonly Segment[],
  request: readonly string[],
): Record<string, string> | undefined {
  const captured: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    const value = request[index];
    if (value === undefined || value === '') return undefined;
    if (segment.rank === Rank.Literal) {
      if (value !== segment.text) return undefined;
    } else if (segment.rank === Rank.Variable) {
      captured[segment.text] = value;
    } else {
      const rest = request.slice(index);
      if (rest.some((part) => part === '')) return undefined;
      captured[segment.text] = rest.join('/');
      return captured;
    }
  }
  return request.length === segments.length ? captured : undefined;
}

/** Left to right, the first segment that differs decides; then a specific method beats `ANY`. */
function moreSpecific<R extends RouteShape>(a: CompiledRoute<R>, b: CompiledRoute<R>): boolean {
  const length = Math.max(a.segments.length, b.segments.length);
  for (let index = 0; index < length; index += 1) {
    // A path that ends where the other goes on is only possible against a greedy variable, which
    // matches one or more segments: the longer, more literal path is the more specific one.
    const rankA: number = a.segments[index]?.rank ?? Rank.Greedy + 1;
    const rankB: number = b.segments[index]?.rank ?? Rank.Greedy + 1;
    if (rankA !== rankB) return rankA < rankB;
  }
  return a.route.method !== 'ANY' && b.route.method === 'ANY';
}
