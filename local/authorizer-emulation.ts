import type { HttpEvent, JwtClaims } from '../shared/http/event';
import { logger } from '../shared/logger';
import type { RouteDefinition } from '../shared/routes';
import { type GatewayResponse, gatewayMessage, internalError } from './http-io';
import type { LocalIssuer } from './issuer';
import { type HandlerModules, lambdaContext } from './lambda-invocation';

/**
 * The two authorizers API Gateway runs before a route's handler: the JWT authorizer of the
 * management API and the Latchkey Lambda authorizer of the protected API (and none for a route
 * that checks a signature itself). Either answers with the
 * context the handler's event carries, or with the gateway's own 401, 403 or 500.
 */
export type AuthorizerOutcome =
  | GatewayResponse
  | { context: NonNullable<HttpEvent['requestContext']['authorizer']> };

const LOCAL_ARN_PREFIX = 'arn:aws:execute-api:local:000000000000:local/$default';

export class AuthorizerEmulation {
  constructor(
    private readonly issuer: LocalIssuer,
    private readonly modules: HandlerModules,
    /** The Lambda authorizer module, relative to the project root. */
    private readonly authorizerModule: string,
  ) {}

  authorize(route: RouteDefinition, event: HttpEvent): Promise<AuthorizerOutcome> {
    // A route that checks its own signature has no gateway authorizer, so nothing to add.
    if (route.auth.kind === 'signature') return Promise.resolve({ context: {} });
    return route.auth.kind === 'jwt' ? this.jwt(event) : this.lambda(route, event);
  }

  private async jwt(event: HttpEvent): Promise<AuthorizerOutcome> {
    const claims: JwtClaims | undefined = await this.issuer.verify(event.headers.authorization);
    if (claims === undefined) return gatewayMessage(401, 'Unauthorized', { 'www-authenticate': 'Bearer' });
    const scopes = typeof claims.scope === 'string' ? claims.scope.split(' ') : null;
    return { context: { jwt: { claims, scopes } } };
  }

  private async lambda(route: RouteDefinition, event: HttpEvent): Promise<AuthorizerOutcome> {
    // The protected API's identity sources: API Gateway answers 401 itself when one is missing.
    const identitySource = [event.headers.authorization, event.headers['x-account-id']];
    if (identitySource.some((value) => value === undefined || value === '')) {
      return gatewayMessage(401, 'Unauthorized');
    }
    const authorize = await this.modules.load(this.authorizerModule);
    if ('statusCode' in authorize) return authorize;
    const authorizerEvent = {
      version: '2.0',
      type: 'REQUEST',
      routeArn: `${LOCAL_ARN_PREFIX}/${route.method}${route.path}`,
      identitySource,
      routeKey: event.routeKey,
      rawPath: event.rawPath,
      rawQueryString: event.rawQueryString,
      cookies: event.cookies,
      headers: event.headers,
      queryStringParameters: event.queryStringParameters,
      requestContext: event.requestContext,
      pathParameters: event.pathParameters,
      stageVariables: event.stageVariables,
    };
    let result: unknown;
    try {
      result = await authorize(authorizerEvent, lambdaContext('Authorizer'));
    } catch (error) {
      logger.error('local gateway: the authorizer threw', { route: event.routeKey }, error);
      return internalError();
    }
    if (!isSimpleAuthorizerResponse(result)) {
      logger.error('local gateway: the authorizer returned no simple response', { route: event.routeKey });
      return internalError();
    }
    if (!result.isAuthorized) return gatewayMessage(403, 'Forbidden');
    return { context: { lambda: result.context ?? {} } };
  }
}

function isSimpleAuthorizerResponse(
  value: unknown,
): value is { isAuthorized: boolean; context?: Record<string, unknown> } {
  if (typeof value !== 'object' || value === null || !('isAuthorized' in value)) return false;
  if (typeof value.isAuthorized !== 'boolean') return false;
  const context = 'context' in value ? value.context : undefined;
  return context === undefined || (typeof context === 'object' && context !== null);
}
