import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { PROJECT_ROOT } from '../../local/server';
import { RouteMatcher } from '../../shared/route-matcher';
import { findRouteByKey, ROUTES, type RouteDefinition, routeKey } from '../../shared/routes';

/**
 * Contract checks: every response a test receives from a route is held against docs/openapi.json,
 * the description clients are generated from. An undocumented status, a missing documented header or
 * a body that does not match the schema fails the test that received it.
 */
interface ResponseObject {
  readonly headers?: Record<string, { readonly required?: boolean; readonly schema?: object }>;
  readonly content?: Record<string, { readonly schema?: object }>;
}
interface OperationObject {
  readonly responses: Record<string, ResponseObject>;
}
interface Description {
  readonly paths: Record<string, Record<string, OperationObject>>;
}

const DESCRIPTION_ID = 'openapi.json';
const description = JSON.parse(readFileSync(join(PROJECT_ROOT, 'docs/openapi.json'), 'utf8')) as Description;
// The whole description is registered once, so a body schema's `#/components/...` refs resolve in it.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);
ajv.addSchema(description, DESCRIPTION_ID);
const validators = new Map<string, ValidateFunction>();

function pointer(...segments: string[]): string {
  return segments.map((s) => s.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

function validatorFor(ref: string): ValidateFunction {
  let validate = validators.get(ref);
  if (validate === undefined) {
    validate = ajv.compile({ $ref: `${DESCRIPTION_ID}#/${ref}` });
    validators.set(ref, validate);
  }
  return validate;
}

export interface ReceivedResponse {
  readonly statusCode: number;
  /** Header names in any case. */
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Throws, naming the route and what disagrees, unless the response is one the description allows. */
export function assertMatchesDescription(
  route: Pick<RouteDefinition, 'method' | 'path'>,
  response: ReceivedResponse,
) {
  const where = routeKey(route);
  const operation = description.paths[route.path]?.[route.method.toLowerCase()];
  if (operation === undefined) throw new Error(`docs/openapi.json has no operation for ${where}`);
  const status = String(response.statusCode);
  const documented = operation.responses[status];
  if (documented === undefined) {
    throw new Error(
      `${where} answered ${status}, which docs/openapi.json does not document for it (documented: ${Object.keys(operation.responses).join(', ')}). Body: ${response.body.slice(0, 300)}`,
    );
  }
  const headers = new Map(
    Object.entries(response.headers).map(([name, value]) => [name.toLowerCase(), value]),
  );
  for (const [name, header] of Object.entries(documented.headers ?? {})) {
    const value = headers.get(name.toLowerCase());
    if (value === undefined) {
      if (header.required === true)
        throw new Error(`${where} ${status}: the documented header ${name} is missing`);
      continue;
    }
    const ref = pointer(
      'paths',
      route.path,
      route.method.toLowerCase(),
      'responses',
      status,
      'headers',
      name,
      'schema',
    );
    const validate = validatorFor(ref);
    if (!validate(value)) {
      throw new Error(
        `${where} ${status}: header ${name}: ${value} does not match: ${ajv.errorsText(validate.errors)}`,
      );
    }
  }
  const media = documented.content?.['application/json'];
  if (media === undefined) {
    if (response.body !== '') throw new Error(`${where} ${status} is documented without a body but has one`);
    return;
  }
  let body: unknown;
  try {
    body = JSON.parse(response.body);
  } catch {
    throw new Error(`${where} ${status}: the body is not JSON: ${response.body.slice(0, 200)}`);
  }
  const ref = pointer(
    'paths',
    route.path,
    route.method.toLowerCase(),
    'responses',
    status,
    'content',
    'application/json',
    'schema',
  );
  const validate = validatorFor(ref);
  if (!validate(body)) {
    throw new Error(
      `${where} ${status}: the body does not match docs/openapi.json: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    );
  }
}

export function routeByKey(key: string): RouteDefinition | undefined {
  return findRouteByKey(key);
}

const matcher = new RouteMatcher(ROUTES);

/** The route a request to `method path` reaches (the one matcher), or undefined outside the route table. */
export function routeForRequest(method: string, path: string): RouteDefinition | undefined {
  return matcher.match(method, path)?.route;
}
