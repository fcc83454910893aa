import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteDefinition } from '../../shared/routes';
import { LatchkeyConsole } from './latchkey-console';
import { LatchkeyStage } from './latchkey-stage';

/**
 * Where `latchkey login` (cli/sign-in.ts) takes the browser back to with the default user pool.
 * Fixed, because Cognito matches a callback exactly, port included (RFC 8252's any-port loopback
 * is not supported), and `localhost`, the one host Cognito accepts over plain http. The stack
 * names it in the console's `/config.json`, which the command reads.
 */
export const CLI_REDIRECT_URI = 'http://localhost:51423/callback';

/** Any OIDC provider in place of the default Cognito user pool. */
export interface LatchkeyOidcIssuer {
  /** The issuer URL, e.g. `https://example.eu.auth0.com/`. */
  readonly issuer: string;
  /** Accepted `aud` (or `client_id`) values. */
  readonly audience: readonly string[];
}

export interface LatchkeyManagementApiProps {
  /** @default - a new Cognito user pool (admin-created users, MFA required) and app client */
  readonly oidc?: LatchkeyOidcIssuer;
  /** Browser origins allowed to call the API. @default - no CORS */
  readonly corsAllowOrigins?: readonly string[];
  /** Host the API Keys page (see LatchkeyServiceProps.console). @default true */
  readonly console?: boolean;
  /** See LatchkeyServiceProps.cognitoDomainPrefix. @default - `latchkey-` and the stack's unique id */
  readonly cognitoDomainPrefix?: string;
  /** What happens to the user pool on stack deletion. @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /** Access log retention. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The management API: who signs in (a Cognito user pool, or any OIDC issuer), the HttpApi behind
 * API Gateway's JWT authorizer, its stage and, optionally, the hosted API Keys page. The HttpApi is
 * this construct's `Default` child and the user pool, the page and the stage are created beside it
 * (`UserPool`, `Console`, `ManagementStage`), the logical ids they had before this construct
 * existed, so an update replaces none of them (no new pool, no second `$default` stage).
 */
export class LatchkeyManagementApi extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  /** The issuer and audiences the JWT authorizer accepts. */
  readonly jwt: LatchkeyOidcIssuer;
  /** The default user pool and its app client; undefined when `oidc` is set. */
  readonly userPool: cognito.UserPool | undefined;
  readonly userPoolClient: cognito.UserPoolClient | undefined;
  /** The hosted sign-in domain of the default user pool; undefined without the console or with `oidc`. */
  readonly userPoolDomain: cognito.UserPoolDomain | undefined;
  /** The hosted API Keys page; undefined when `console` is false. */
  readonly console: LatchkeyConsole | undefined;
  private readonly jwtAuthorizer: authorizers.HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: LatchkeyManagementApiProps = {}) {
    super(scope, id);
    if (props.oidc !== undefined) {
      if (!props.oidc.issuer.startsWith('https://')) {
        throw new Error('LatchkeyService: oidc.issuer must be an https URL');
      }
      if (props.oidc.audience.length === 0) throw new Error('LatchkeyService: oidc.audience cannot be empty');
    }
    const hosted = props.console ?? true;
    // Order matters: the app client's callback is the page's URL, the page forwards to the API, and
    // the API's JWT authorizer names the app client.
    const userPool = props.oidc === undefined ? createUserPool(scope, props.removalPolicy) : undefined;
    this.httpApi = new apigwv2.HttpApi(this, 'Default', {
      apiName: id,
      description: 'Latchkey management API: API keys, verifications, account',
      createDefaultStage: false,
      ...(props.corsAllowOrigins === undefined
        ? {}
        : {
            corsPreflight: {
              allowOrigins: [...props.corsAllowOrigins],
              allowMethods: [apigwv2.CorsHttpMethod.ANY],
              allowHeaders: [
                'authorization',
                'content-type',
                'x-verification-id',
                'x-verification-code',
                'if-match',
              ],
              maxAge: Duration.hours(1),
            },
          }),
    });
    const stack = Stack.of(this);
    this.userPoolDomain =
      userPool !== undefined && hosted
        ? userPool.addDomain('SignInDomain', {
            cognitoDomain: {
              domainPrefix:
                props.cognitoDomainPrefix ??
                Fn.join('-', ['latchkey', Fn.select(2, Fn.split('/', stack.stackId))]),
            },
          })
        : undefined;
    const identityOrigins =
      props.oidc !== undefined
        ? [new URL(props.oidc.issuer).origin]
        : [
            `https://cognito-idp.${stack.region}.amazonaws.com`,
            ...(this.userPoolDomain === undefined ? [] : [this.userPoolDomain.baseUrl()]),
          ];
    this.console = hosted
      ? new LatchkeyConsole(scope, 'Console', { managementApi: this.httpApi, identityOrigins })
      : undefined;
    this.userPool = userPool;
    this.userPoolClient = userPool === undefined ? undefined : addAppClient(userPool, this.console);
    if (props.oidc !== undefined) this.jwt = props.oidc;
    else if (userPool !== undefined && this.userPoolClient !== undefined) {
      this.jwt = {
        issuer: `https://cognito-idp.${stack.region}.amazonaws.com/${userPool.userPoolId}`,
        audience: [this.userPoolClient.userPoolClientId],
      };
    } else throw new Error('LatchkeyService: no JWT issuer');
    this.jwtAuthorizer = new authorizers.HttpJwtAuthorizer('Jwt', this.jwt.issuer, {
      jwtAudience: [...this.jwt.audience],
    });
    this.publishConsoleConfig();
    this.stage = new LatchkeyStage(scope, 'ManagementStage', {
      httpApi: this.httpApi,
      ...(props.throttleRateLimit === undefined ? {} : { throttleRateLimit: props.throttleRateLimit }),
      ...(props.throttleBurstLimit === undefined ? {} : { throttleBurstLimit: props.throttleBurstLimit }),
      ...(props.logRetention === undefined ? {} : { logRetention: props.logRetention }),
    });
  }

  /** Routes a management route to its function: behind the JWT authorizer, or none for `signature`. */
  addRoute(route: RouteDefinition, fn: lambda.IFunction): apigwv2.HttpRoute[] {
    const routes = this.httpApi.addRoutes({
      path: route.path,
      methods: [route.method as apigwv2.HttpMethod],
      integration: new integrations.HttpLambdaIntegration(`${route.id}Integration`, fn),
      authorizer: route.auth.kind === 'signature' ? new apigwv2.HttpNoneAuthorizer() : this.jwtAuthorizer,
    });
    if (route.auth.kind === 'signature') {
      for (const r of routes) {
        Validations.of(r).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'Leaked-token reports come from secret scanners, which sign the body instead of signing in; ' +
            'the handler refuses (401) any report not signed by a configured reporter key before parsing it.',
        });
      }
    }
    return routes;
  }

  /** The page's config.json: the issuer, its public client id and, with Cognito's domain, sign-out. */
  private publishConsoleConfig(): void {
    const clientId = this.jwt.audience[0];
    if (this.console === undefined || clientId === undefined) return;
    const domain = this.userPoolDomain;
    this.console.publish({
      issuer: this.jwt.issuer,
      clientId,
      ...(this.userPool === undefined ? {} : { cliRedirectUri: CLI_REDIRECT_URI }),
      ...(domain === undefined
        ? {}
        : {
            // ':' and '/' may stand unescaped in a query; the URL holds deploy-time tokens.
            signOutUrl: `${domain.baseUrl()}/logout?client_id=${clientId}&logout_uri=${this.console.url}/`,
          }),
    });
  }
}

function createUserPool(scope: Construct, removalPolicy: RemovalPolicy | undefined): cognito.UserPool {
  const userPool = new cognito.UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    autoVerify: { email: true },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
    },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    featurePlan: cognito.FeaturePlan.ESSENTIALS,
    removalPolicy: removalPolicy ?? RemovalPolicy.RETAIN,
  });
  Validations.of(userPool).acknowledge({
    id: 'AwsSolutions-COG8',
    reason:
      'The Plus feature plan (threat protection) is billed per monthly active user; users are a few ' +
      'admins created by hand, with MFA required and a 12-character password policy. Teams that ' +
      'want it can switch featurePlan on the pool.',
  });
  return userPool;
}

/**
 * The public app client (no secret). With the console it allows the authorization-code flow
 * (PKCE is what protects a public client's code) back to the console's own URL and to the
 * command's loopback redirect on the user's own machine, and nothing else.
 */
function addAppClient(
  userPool: cognito.UserPool,
  hosted: LatchkeyConsole | undefined,
): cognito.UserPoolClient {
  return userPool.addClient('ConsoleClient', {
    authFlows: { userSrp: true },
    generateSecret: false,
    preventUserExistenceErrors: true,
    accessTokenValidity: Duration.hours(1),
    idTokenValidity: Duration.hours(1),
    ...(hosted === undefined
      ? { disableOAuth: true }
      : {
          supportedIdentityProviders: [cognito.UserPoolClientIdentityProvider.COGNITO],
          oAuth: {
            flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
            scopes: [cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL],
            callbackUrls: [`${hosted.url}/`, CLI_REDIRECT_URI],
            logoutUrls: [`${hosted.url}/`],
          },
        }),
  });
}
