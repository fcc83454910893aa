import { Duration, Lazy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { SETTINGS } from '../../shared/config';
import type { PermissionScope } from '../../shared/domain/permissions';
import { type ProtectedRoute, protectedRouteTable } from '../../shared/domain/protected-routes';
import type { LatchkeyBackend } from './access';
import { LatchkeyFunction } from './latchkey-function';

/** The file the Lambda authorizer is bundled from; it exports `handler`. */
export const AUTHORIZER_HANDLER_FILE = 'functions/authorizer/authorize.ts';

/** Request headers the authorizer reads; API Gateway answers 401 itself when one is missing. */
export const AUTHORIZER_HEADERS = ['Authorization', 'x-account-id'] as const;

/** The header naming the site on site-level routes; a cache key part only for those routes. */
export const SITE_HEADER = 'x-site-id';

export interface LatchkeyHttpRoute extends ProtectedRoute {
  /** The backend the route calls once the key is accepted. */
  readonly integration: apigwv2.HttpRouteIntegration;
}

export interface LatchkeyRestRoute extends ProtectedRoute {
  readonly integration: apigateway.Integration;
}

export interface LatchkeyAuthorizerProps {
  /** The Latchkey table, its key and the pepper (from `LatchkeyService.backend`, or imported). */
  readonly backend: LatchkeyBackend;
  /**
   * How long API Gateway caches a decision. Zero means a rotated, edited, expired or deleted key is
   * judged afresh on the very next request. A positive TTL saves authorizer invocations but lets a
   * revoked key keep working for up to that long. Everything a decision depends on is then part of
   * the cache key: token, account, route (method and path), the caller's source IP and, on
   * site-level routes, the `x-site-id` header (which site-level routes then require, as they do
   * anyway). Each distinct combination costs one authorizer call per TTL.
   * @default Duration.seconds(0)
   */
  readonly resultsCacheTtl?: Duration;
  /** @default 512 (the authorizer sits on every request, and more memory means more CPU) */
  readonly memorySize?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * X-Ray active tracing. Off: the authorizer sits on every request, the sampled traces cost up to
   * $0.25 per million verifications beyond the free tier, and X-Ray's SDK is in maintenance. Turn it
   * on to look at one slow path for a while.
   * @default false
   */
  readonly tracing?: boolean;
  /**
   * At INFO (the default) an allowed verification writes no line of its own, a refusal one line with
   * its reason, an error always one; DEBUG adds a line per allow.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
  /** See LatchkeyFunctionProps.metricsNamespace. @default 'Latchkey' */
  readonly metricsNamespace?: string;
}

/**
 * The Latchkey Lambda authorizer, attachable to any team's HttpApi or RestApi. One function serves
 * every API attached through this construct; it learns each route's permission and scope from
 * `LATCHKEY_PROTECTED_ROUTES` and denies any route it was not told about.
 *
 * Its role may read a key item (GetItem, key partitions only), record `lastUsedAt` (an UpdateItem
 * limited to that attribute with no return values) and decrypt the pepper. It cannot put, delete,
 * query or scan.
 */
export class LatchkeyAuthorizer extends Construct {
  readonly function: LatchkeyFunction;
  private readonly routes: ProtectedRoute[] = [];
  private readonly cacheTtl: Duration;
  private readonly httpAuthorizers = new Map<string, authorizers.HttpLambdaAuthorizer>();
  private readonly restAuthorizers = new Map<string, apigateway.RequestAuthorizer>();

  constructor(scope: Construct, id: string, props: LatchkeyAuthorizerProps) {
    super(scope, id);
    this.cacheTtl = props.resultsCacheTtl ?? Duration.seconds(0);
    if (this.cacheTtl.toSeconds() > 3600) throw new Error('resultsCacheTtl cannot exceed one hour');

    const { backend } = props;
    this.function = new LatchkeyFunction(this, 'Function', {
      handlerFile: AUTHORIZER_HANDLER_FILE,
      description: 'Latchkey: checks an API key, its account and its permission for the route',
      memorySize: props.memorySize ?? 512,
      timeout: Duration.seconds(5),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
      tracing: props.tracing ?? false,
      ...(props.applicationLogLevel === undefined ? {} : { applicationLogLevel: props.applicationLogLevel }),
      ...(props.metricsNamespace === undefined ? {} : { metricsNamespace: props.metricsNamespace }),
      environment: {
        [SETTINGS.tableName]: backend.table.table.tableName,
        ...backend.pepper.settings,
        [SETTINGS.protectedRoutes]: Lazy.string({ produce: () => JSON.stringify(this.routes) }),
      },
    });
    backend.table.grantKeyRead(this.function);
    backend.table.grantKeyLastUsedWrite(this.function);
    backend.table.grantTableKey(this.function, true);
    backend.pepper.grantDecrypt(this.function);
  }

  /** The routes this authorizer guards so far, as the function receives them. */
  get protectedRoutes(): readonly ProtectedRoute[] {
    return this.routes;
  }

  /** Adds the routes to a team's HTTP API, each behind this authorizer. */
  protectHttpApi(api: apigwv2.HttpApi, routes: readonly LatchkeyHttpRoute[]): apigwv2.HttpRoute[] {
    this.register(routes);
    return routes.flatMap((route) =>
      api.addRoutes({
        path: route.path,
        methods: [route.method as apigwv2.HttpMethod],
        integration: route.integration,
        authorizer: this.httpAuthorizer(route.scope),
      }),
    );
  }

  /** Adds the routes to a team's REST API, each behind this authorizer (a REQUEST authorizer). */
  protectRestApi(api: apigateway.RestApi, routes: readonly LatchkeyRestRoute[]): apigateway.Method[] {
    this.register(routes);
    return routes.map((route) =>
      api.root.resourceForPath(route.path).addMethod(route.method, route.integration, {
        authorizer: this.restAuthorizer(api, route.scope),
        authorizationType: apigateway.AuthorizationType.CUSTOM,
      }),
    );
  }

  private get caching(): boolean {
    return this.cacheTtl.toSeconds() > 0;
  }

  /**
   * Without caching, one authorizer serves every route. With caching, the cache key holds what the
   * decision depends on: the route (so an allow on one route is never served on another), the
   * source IP (IP allowlists) and, for site-level routes only, the site header (chosen sites), so
   * site-level routes get an authorizer of their own and account-level routes never need the header.
   */
  private httpAuthorizer(scope: PermissionScope): authorizers.HttpLambdaAuthorizer {
    const kind = this.caching ? scope : 'any';
    const existing = this.httpAuthorizers.get(kind);
    if (existing !== undefined) return existing;
    const identitySource = AUTHORIZER_HEADERS.map((h) => `$request.header.${h}`);
    if (this.caching) {
      identitySource.push('$context.routeKey', '$context.identity.sourceIp');
      if (scope === 'site') identitySource.push(`$request.header.${SITE_HEADER}`);
    }
    const suffix = kind === 'site' ? 'Site' : '';
    const authorizer = new authorizers.HttpLambdaAuthorizer(
      `${this.node.id}Authorizer${suffix}`,
      this.function,
      {
        authorizerName: kind === 'site' ? 'latchkey-site' : 'latchkey',
        identitySource,
        resultsCacheTtl: this.cacheTtl,
        responseTypes: [authorizers.HttpLambdaResponseType.SIMPLE],
      },
    );
    this.httpAuthorizers.set(kind, authorizer);
    return authorizer;
  }

  private restAuthorizer(api: apigateway.RestApi, scope: PermissionScope): apigateway.RequestAuthorizer {
    const kind = this.caching ? scope : 'any';
    const mapKey = `${api.node.addr}:${kind}`;
    const existing = this.restAuthorizers.get(mapKey);
    if (existing !== undefined) return existing;
    const identitySources = AUTHORIZER_HEADERS.map((h) => apigateway.IdentitySource.header(h));
    if (this.caching) {
      identitySources.push(
        apigateway.IdentitySource.context('httpMethod'),
        apigateway.IdentitySource.context('resourcePath'),
        apigateway.IdentitySource.context('identity.sourceIp'),
      );
      if (scope === 'site') identitySources.push(apigateway.IdentitySource.header(SITE_HEADER));
    }
    const suffix = kind === 'site' ? 'Site' : '';
    const authorizer = new apigateway.RequestAuthorizer(this, `${api.node.id}RequestAuthorizer${suffix}`, {
      handler: this.function,
      identitySources,
      resultsCacheTtl: this.cacheTtl,
    });
    this.restAuthorizers.set(mapKey, authorizer);
    return authorizer;
  }

  private register(routes: readonly ProtectedRoute[]): void {
    const added = routes.map(({ method, path, permission, scope, access }) => ({
      method,
      path,
      permission,
      scope,
      ...(access === undefined ? {} : { access }),
    }));
    // The same checks the function makes at cold start, made at synth time instead.
    protectedRouteTable([...this.routes, ...added]);
    this.routes.push(...added);
  }
}
