import { Duration, Fn, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as authorizers from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import { apiKeyRoutes, ROUTES, type RouteDefinition } from '../../shared/routes';
import { SCHEDULES } from '../../shared/schedules';
import { accessFor, type LatchkeyBackend, type MailReference } from './access';
import { LatchkeyAuthorizer } from './latchkey-authorizer';
import { LatchkeyConsole } from './latchkey-console';
import { LatchkeyFunction } from './latchkey-function';
import { LatchkeyPepper } from './pepper';

/** Any OIDC provider in place of the default Cognito user pool. */
export interface LatchkeyOidcIssuer {
  /** The issuer URL, e.g. `https://example.eu.auth0.com/`. */
  readonly issuer: string;
  /** Accepted `aud` (or `client_id`) values. */
  readonly audience: readonly string[];
}

export interface LatchkeyServiceProps {
  /** The address verification codes are sent from. SES must verify it (or its domain). */
  readonly fromAddress: string;
  /** @default 'Latchkey' */
  readonly fromName?: string;
  /**
   * The SES identity to send as: the from-address itself, or its domain when the domain is already
   * verified in this account (then no identity is created here).
   * @default - the from-address, created as an SES email identity by this construct
   */
  readonly sesIdentity?: string;
  /**
   * Who signs in to the management API.
   * @default - a new Cognito user pool (admin-created users, MFA required) and app client
   */
  readonly oidc?: LatchkeyOidcIssuer;
  /**
   * Browser origins allowed to call the management API (for a web console).
   * @default - no CORS
   */
  readonly corsAllowOrigins?: readonly string[];
  /**
   * Host the API Keys page (console/): a private bucket behind CloudFront, which also forwards
   * `/v1/*` to the management API. With the default user pool, the app client then allows the
   * code flow with PKCE back to the page, and a Cognito domain serves the hosted sign-in. With
   * `oidc`, the page signs in with the first `audience` entry as its public client id.
   * @default true
   */
  readonly console?: boolean;
  /**
   * The Cognito domain prefix of the hosted sign-in (`<prefix>.auth.<region>.amazoncognito.com`),
   * unique across AWS. Only with the default user pool and the console.
   * @default - `latchkey-` and the stack's unique id
   */
  readonly cognitoDomainPrefix?: string;
  /** Steady-state requests per second per stage. @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /** See LatchkeyPepperProps.versions. @default [1] */
  readonly pepperVersions?: readonly number[];
  /** See LatchkeyAuthorizerProps.resultsCacheTtl. @default Duration.seconds(0) */
  readonly authorizerCacheTtl?: Duration;
  /** Log retention for functions and API access logs. @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Deploy the sample protected API (the `protected` routes of shared/routes.ts) behind the authorizer.
   * @default true
   */
  readonly sampleProtectedApi?: boolean;
  /**
   * The public keys whose signed leaked-token reports `POST /v1/token-leaks` accepts: the JSON GitHub
   * publishes for secret scanning (`[{key_identifier, key, is_current}]`, or its `{public_keys}`
   * document as it is).
   * @default - none: every report is refused with 401
   */
  readonly leakReporterKeys?: string;
  /** How long audit events are kept before the table's TTL removes them. @default Duration.days(365) */
  readonly auditRetention?: Duration;
  /**
   * What happens to data on stack deletion: the table, both KMS keys and the user pool.
   * @default RemovalPolicy.RETAIN
   */
  readonly dataRemovalPolicy?: RemovalPolicy;
  /** X-Ray on the authorizer (see LatchkeyAuthorizerProps.tracing). @default false */
  readonly authorizerTracing?: boolean;
  /**
   * Lambda's application log level for every function.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly logLevel?: lambda.ApplicationLogLevel;
  /**
   * Per-function overrides of `logLevel`, by route id (as in shared/routes.ts) or `authorizer`.
   * @default - none
   */
  readonly functionLogLevels?: Readonly<Record<string, lambda.ApplicationLogLevel>>;
  /** The CloudWatch namespace of Latchkey's embedded metrics. @default 'Latchkey' */
  readonly metricsNamespace?: string;
}

/** The SES event destination's dimension: SES fills it with the configuration set's name. */
export const MAIL_METRICS_DIMENSION = 'ses:configuration-set';

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;

/**
 * The whole Latchkey service: the table, the pepper, mail, the management API (JWT), the Lambda
 * authorizer and a sample API it protects. Every route of shared/routes.ts gets its own function with
 * exactly the IAM its `grants` list; the route table is the only list of routes.
 */
export class LatchkeyService extends Construct {
  readonly table: dynamodb.Table;
  readonly tableKey: kms.Key;
  readonly pepper: LatchkeyPepper;
  readonly mail: MailReference;
  readonly backend: LatchkeyBackend;
  readonly managementApi: apigwv2.HttpApi;
  readonly managementStage: apigwv2.HttpStage;
  readonly protectedApi?: apigwv2.HttpApi;
  readonly protectedStage?: apigwv2.HttpStage;
  readonly authorizer: LatchkeyAuthorizer;
  /** The default user pool and its app client; undefined when `oidc` is set. */
  readonly userPool: cognito.UserPool | undefined;
  readonly userPoolClient: cognito.UserPoolClient | undefined;
  /** The hosted sign-in domain of the default user pool; undefined without the console or with `oidc`. */
  readonly userPoolDomain: cognito.UserPoolDomain | undefined;
  /** The hosted API Keys page; undefined when `console` is false. */
  readonly console: LatchkeyConsole | undefined;
  /** Each route's function, by route id. */
  readonly routeFunctions: ReadonlyMap<string, LatchkeyFunction>;
  /** Each scheduled job's function, by job id. */
  readonly jobFunctions: ReadonlyMap<string, LatchkeyFunction>;

  constructor(scope: Construct, id: string, props: LatchkeyServiceProps) {
    super(scope, id);
    validate(props);
    const removalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.RETAIN;
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.tableKey = new kms.Key(this, 'TableKey', {
      description: 'Latchkey: encrypts the Latchkey table',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: TABLE_SCHEMA.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_SCHEMA.sortKey, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.tableKey,
      removalPolicy,
    });
    const byAccount = TABLE_SCHEMA.indexes.byAccount;
    this.table.addGlobalSecondaryIndex({
      indexName: byAccount.name,
      partitionKey: { name: byAccount.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byAccount.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType[byAccount.projection],
      nonKeyAttributes: [...byAccount.nonKeyAttributes],
    });
    const byExpiry = TABLE_SCHEMA.indexes.byExpiry;
    this.table.addGlobalSecondaryIndex({
      indexName: byExpiry.name,
      partitionKey: { name: byExpiry.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byExpiry.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...byExpiry.projected],
    });

    this.pepper = new LatchkeyPepper(this, 'Pepper', {
      ...(props.pepperVersions === undefined ? {} : { versions: props.pepperVersions }),
      removalPolicy,
    });
    this.mail = this.createMail(props);
    this.backend = {
      table: this.table,
      tableKey: this.tableKey,
      pepper: this.pepper,
      mail: this.mail,
      auditRetentionDays: (props.auditRetention ?? Duration.days(365)).toDays(),
      ...(props.leakReporterKeys === undefined ? {} : { leakReporterKeys: props.leakReporterKeys }),
    };

    const functions = new Map<string, LatchkeyFunction>();
    const logLevel = (id: string) => props.functionLogLevels?.[id] ?? props.logLevel;
    const routeFunction = (route: RouteDefinition): LatchkeyFunction => {
      const access = accessFor(route.grants, this.backend);
      const fn = new LatchkeyFunction(this, `${route.id}Function`, {
        handlerFile: route.handler,
        description: `Latchkey: ${route.method} ${route.path}`,
        environment: access.environment,
        logRetention,
        applicationLogLevel: logLevel(route.id),
        metricsNamespace: props.metricsNamespace,
      });
      for (const statement of access.statements) fn.addToRolePolicy(statement);
      functions.set(route.id, fn);
      return fn;
    };

    // Management API: each route its own function, behind API Gateway's JWT authorizer.
    // Order matters: the app client's callback is the console's URL, the console forwards to the API,
    // and the API's JWT authorizer names the app client.
    const userPool = props.oidc === undefined ? this.createUserPool(removalPolicy) : undefined;
    this.managementApi = new apigwv2.HttpApi(this, 'ManagementApi', {
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
    const region = Stack.of(this).region;
    const userPoolDomain =
      userPool !== undefined && (props.console ?? true)
        ? userPool.addDomain('SignInDomain', {
            cognitoDomain: {
              domainPrefix:
                props.cognitoDomainPrefix ??
                Fn.join('-', ['latchkey', Fn.select(2, Fn.split('/', Stack.of(this).stackId))]),
            },
          })
        : undefined;
    this.userPoolDomain = userPoolDomain;
    const identityOrigins =
      props.oidc !== undefined
        ? [new URL(props.oidc.issuer).origin]
        : [
            `https://cognito-idp.${region}.amazonaws.com`,
            ...(userPoolDomain === undefined ? [] : [userPoolDomain.baseUrl()]),
          ];
    this.console =
      (props.console ?? true)
        ? new LatchkeyConsole(this, 'Console', { managementApi: this.managementApi, identityOrigins })
        : undefined;
    const client = userPool === undefined ? undefined : this.addAppClient(userPool, this.console);
    this.userPool = userPool;
    this.userPoolClient = client;
    const jwt: LatchkeyOidcIssuer | undefined =
      props.oidc ??
      (userPool === undefined || client === undefined
        ? undefined
        : {
            issuer: `https://cognito-idp.${region}.amazonaws.com/${userPool.userPoolId}`,
            audience: [client.userPoolClientId],
          });
    if (jwt === undefined) throw new Error('LatchkeyService: no JWT issuer');
    const jwtAuthorizer = new authorizers.HttpJwtAuthorizer('Jwt', jwt.issuer, {
      jwtAudience: [...jwt.audience],
    });
    const consoleClientId = jwt.audience[0];
    if (this.console !== undefined && consoleClientId !== undefined) {
      this.console.publish({
        issuer: jwt.issuer,
        clientId: consoleClientId,
        ...(userPoolDomain === undefined
          ? {}
          : {
              // ':' and '/' may stand unescaped in a query; the URL holds deploy-time tokens.
              signOutUrl: `${userPoolDomain.baseUrl()}/logout?client_id=${consoleClientId}&logout_uri=${this.console.url}/`,
            }),
      });
    }
    this.managementStage = this.stage('ManagementStage', this.managementApi, props, logRetention);
    for (const route of ROUTES.filter((r) => r.api === 'management')) {
      const routes = this.managementApi.addRoutes({
        path: route.path,
        methods: [route.method as apigwv2.HttpMethod],
        integration: new integrations.HttpLambdaIntegration(`${route.id}Integration`, routeFunction(route)),
        authorizer: route.auth.kind === 'signature' ? new apigwv2.HttpNoneAuthorizer() : jwtAuthorizer,
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
    }

    // The Lambda authorizer, and the sample protected API behind it.
    this.authorizer = new LatchkeyAuthorizer(this, 'Authorizer', {
      backend: this.backend,
      logRetention,
      tracing: props.authorizerTracing ?? false,
      applicationLogLevel: logLevel('authorizer'),
      metricsNamespace: props.metricsNamespace,
      ...(props.authorizerCacheTtl === undefined ? {} : { resultsCacheTtl: props.authorizerCacheTtl }),
    });
    if (props.sampleProtectedApi ?? true) {
      this.protectedApi = new apigwv2.HttpApi(this, 'ProtectedApi', {
        description: 'Latchkey sample API: routes guarded by API keys',
        createDefaultStage: false,
      });
      this.protectedStage = this.stage('ProtectedStage', this.protectedApi, props, logRetention);
      this.authorizer.protectHttpApi(
        this.protectedApi,
        apiKeyRoutes().map(({ route, guard }) => ({
          ...guard,
          integration: new integrations.HttpLambdaIntegration(`${route.id}Integration`, routeFunction(route)),
        })),
      );
    }
    this.routeFunctions = functions;

    // Scheduled jobs: the same function defaults and grants, started by an EventBridge schedule.
    const jobs = new Map<string, LatchkeyFunction>();
    for (const job of SCHEDULES) {
      const access = accessFor(job.grants, this.backend);
      const fn = new LatchkeyFunction(this, `${job.id}Function`, {
        handlerFile: job.handler,
        description: job.description,
        environment: access.environment,
        logRetention,
      });
      for (const statement of access.statements) fn.addToRolePolicy(statement);
      new events.Rule(this, `${job.id}Schedule`, {
        description: job.description,
        schedule: events.Schedule.rate(Duration.minutes(job.everyMinutes)),
        targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
      });
      jobs.set(job.id, fn);
    }
    this.jobFunctions = jobs;
  }

  private createMail(props: LatchkeyServiceProps): MailReference {
    const stack = Stack.of(this);
    const configurationSet = new ses.ConfigurationSet(this, 'MailConfigurationSet', {
      reputationMetrics: true,
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
    });
    // Bounces and complaints as CloudWatch metrics of this configuration set, for the alarms.
    configurationSet.addEventDestination('MailMetrics', {
      destination: ses.EventDestination.cloudWatchDimensions([
        {
          name: MAIL_METRICS_DIMENSION,
          source: ses.CloudWatchDimensionSource.MESSAGE_TAG,
          defaultValue: 'none',
        },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });
    const identity = props.sesIdentity ?? props.fromAddress;
    if (props.sesIdentity === undefined) {
      new ses.EmailIdentity(this, 'MailIdentity', {
        identity: ses.Identity.email(props.fromAddress),
        configurationSet,
      });
    }
    return {
      mailFrom: `${props.fromName ?? 'Latchkey'} <${props.fromAddress}>`,
      fromAddress: props.fromAddress,
      identityArn: stack.formatArn({ service: 'ses', resource: 'identity', resourceName: identity }),
      configurationSetName: configurationSet.configurationSetName,
      configurationSetArn: stack.formatArn({
        service: 'ses',
        resource: 'configuration-set',
        resourceName: configurationSet.configurationSetName,
      }),
    };
  }

  private createUserPool(removalPolicy: RemovalPolicy): cognito.UserPool {
    const userPool = new cognito.UserPool(this, 'UserPool', {
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
      removalPolicy,
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
   * (PKCE is what protects a public client's code) back to the console's own URL, and nothing else.
   */
  private addAppClient(
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
              callbackUrls: [`${hosted.url}/`],
              logoutUrls: [`${hosted.url}/`],
            },
          }),
    });
  }

  private stage(
    id: string,
    httpApi: apigwv2.HttpApi,
    props: LatchkeyServiceProps,
    retention: logs.RetentionDays,
  ): apigwv2.HttpStage {
    const accessLogs = new logs.LogGroup(this, `${id}AccessLogs`, {
      retention,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    return new apigwv2.HttpStage(this, id, {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttleRateLimit ?? 50, burstLimit: props.throttleBurstLimit ?? 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        // No headers and no bodies: an Authorization header must never reach a log.
        format: apigateway.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            time: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            latencyMs: '$context.responseLatency',
            integrationStatus: '$context.integrationStatus',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
  }
}

function validate(props: LatchkeyServiceProps): void {
  if (!ADDRESS.test(props.fromAddress)) {
    throw new Error(`LatchkeyService: fromAddress "${props.fromAddress}" is not an email address`);
  }
  const functionIds = new Set(['authorizer', ...ROUTES.map((r) => r.id)]);
  for (const id of Object.keys(props.functionLogLevels ?? {})) {
    if (!functionIds.has(id)) {
      throw new Error(
        `LatchkeyService: functionLogLevels names "${id}", which is neither "authorizer" nor a route id`,
      );
    }
  }
  if (props.fromName !== undefined && /[<>"\r\n]/.test(props.fromName)) {
    throw new Error('LatchkeyService: fromName cannot contain <, >, quotes or line breaks');
  }
  if (props.oidc !== undefined) {
    if (!props.oidc.issuer.startsWith('https://')) {
      throw new Error('LatchkeyService: oidc.issuer must be an https URL');
    }
    if (props.oidc.audience.length === 0) throw new Error('LatchkeyService: oidc.audience cannot be empty');
  }
  for (const [name, value] of [
    ['throttleRateLimit', props.throttleRateLimit],
    ['throttleBurstLimit', props.throttleBurstLimit],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`LatchkeyService: ${name} must be a positive integer`);
    }
  }
}
