import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as integrations from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { apiKeyRoutes, ROUTES, type RouteDefinition } from '../../shared/routes';
import { SCHEDULES, type ScheduledJob } from '../../shared/schedules';
import { grantAccess, type LatchkeyBackend } from './access';
import { LatchkeyAuthorizer } from './latchkey-authorizer';
import type { LatchkeyConsole } from './latchkey-console';
import { LatchkeyFunction } from './latchkey-function';
import { LatchkeyMail } from './latchkey-mail';
import { LatchkeyManagementApi } from './latchkey-management-api';
import type { LatchkeyServiceProps } from './latchkey-service-props';
import { LatchkeyStage } from './latchkey-stage';
import { LatchkeyTable } from './latchkey-table';
import { LatchkeyPepper } from './pepper';

/**
 * The whole Latchkey service: the table, the pepper, mail, the management API (JWT), the Lambda
 * authorizer and a sample API it protects. Every route of shared/routes.ts gets its own function with
 * exactly the IAM its `grants` list; the route table is the only list of routes.
 */
export class LatchkeyService extends Construct {
  readonly latchkeyTable: LatchkeyTable;
  readonly table: dynamodb.Table;
  readonly tableKey: kms.Key;
  readonly pepper: LatchkeyPepper;
  readonly mail: LatchkeyMail;
  readonly backend: LatchkeyBackend;
  readonly management: LatchkeyManagementApi;
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
  private readonly props: LatchkeyServiceProps;

  constructor(scope: Construct, id: string, props: LatchkeyServiceProps) {
    super(scope, id);
    validateLogLevels(props);
    this.props = props;
    const removalPolicy = props.dataRemovalPolicy ?? RemovalPolicy.RETAIN;

    this.latchkeyTable = new LatchkeyTable(this, 'Table', { removalPolicy });
    this.table = this.latchkeyTable.table;
    this.tableKey = this.latchkeyTable.encryptionKey;
    this.pepper = new LatchkeyPepper(this, 'Pepper', {
      ...(props.pepperVersions === undefined ? {} : { versions: props.pepperVersions }),
      removalPolicy,
    });
    this.mail = new LatchkeyMail(this, 'Mail', {
      fromAddress: props.fromAddress,
      ...(props.fromName === undefined ? {} : { fromName: props.fromName }),
      ...(props.sesIdentity === undefined ? {} : { sesIdentity: props.sesIdentity }),
    });
    this.backend = {
      table: this.latchkeyTable,
      pepper: this.pepper,
      mail: this.mail,
      auditRetentionDays: (props.auditRetention ?? Duration.days(365)).toDays(),
      ...(props.leakReporterKeys === undefined ? {} : { leakReporterKeys: props.leakReporterKeys }),
    };

    const functions = new Map<string, LatchkeyFunction>();
    this.routeFunctions = functions;
    this.management = new LatchkeyManagementApi(this, 'ManagementApi', {
      ...(props.oidc === undefined ? {} : { oidc: props.oidc }),
      ...(props.corsAllowOrigins === undefined ? {} : { corsAllowOrigins: props.corsAllowOrigins }),
      ...(props.console === undefined ? {} : { console: props.console }),
      ...(props.cognitoDomainPrefix === undefined ? {} : { cognitoDomainPrefix: props.cognitoDomainPrefix }),
      removalPolicy,
      ...this.stageProps(),
    });
    this.managementApi = this.management.httpApi;
    this.managementStage = this.management.stage;
    this.userPool = this.management.userPool;
    this.userPoolClient = this.management.userPoolClient;
    this.userPoolDomain = this.management.userPoolDomain;
    this.console = this.management.console;
    for (const route of ROUTES.filter((r) => r.api === 'management')) {
      this.management.addRoute(route, this.routeFunction(route, functions));
    }

    // The Lambda authorizer, and the sample protected API behind it.
    this.authorizer = new LatchkeyAuthorizer(this, 'Authorizer', {
      backend: this.backend,
      logRetention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      tracing: props.authorizerTracing ?? false,
      applicationLogLevel: this.logLevel('authorizer'),
      metricsNamespace: props.metricsNamespace,
      ...(props.authorizerCacheTtl === undefined ? {} : { resultsCacheTtl: props.authorizerCacheTtl }),
    });
    if (props.sampleProtectedApi ?? true) {
      this.protectedApi = new apigwv2.HttpApi(this, 'ProtectedApi', {
        description: 'Latchkey sample API: routes guarded by API keys',
        createDefaultStage: false,
      });
      this.protectedStage = new LatchkeyStage(this, 'ProtectedStage', {
        httpApi: this.protectedApi,
        ...this.stageProps(),
      });
      this.authorizer.protectHttpApi(
        this.protectedApi,
        apiKeyRoutes().map(({ route, guard }) => ({
          ...guard,
          integration: new integrations.HttpLambdaIntegration(
            `${route.id}Integration`,
            this.routeFunction(route, functions),
          ),
        })),
      );
    }

    // Scheduled jobs: the same function defaults and grants, started by an EventBridge schedule.
    const jobs = new Map<string, LatchkeyFunction>();
    for (const job of SCHEDULES) jobs.set(job.id, this.scheduledFunction(job));
    this.jobFunctions = jobs;
  }

  private logLevel(id: string): lambda.ApplicationLogLevel | undefined {
    return this.props.functionLogLevels?.[id] ?? this.props.logLevel;
  }

  private stageProps() {
    const { throttleRateLimit, throttleBurstLimit, logRetention } = this.props;
    return {
      ...(throttleRateLimit === undefined ? {} : { throttleRateLimit }),
      ...(throttleBurstLimit === undefined ? {} : { throttleBurstLimit }),
      ...(logRetention === undefined ? {} : { logRetention }),
    };
  }

  private routeFunction(route: RouteDefinition, functions: Map<string, LatchkeyFunction>): LatchkeyFunction {
    const fn = new LatchkeyFunction(this, `${route.id}Function`, {
      handlerFile: route.handler,
      description: `Latchkey: ${route.method} ${route.path}`,
      logRetention: this.props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      applicationLogLevel: this.logLevel(route.id),
      metricsNamespace: this.props.metricsNamespace,
    });
    grantAccess(fn, route.grants, this.backend);
    functions.set(route.id, fn);
    return fn;
  }

  private scheduledFunction(job: ScheduledJob): LatchkeyFunction {
    const fn = new LatchkeyFunction(this, `${job.id}Function`, {
      handlerFile: job.handler,
      description: job.description,
      logRetention: this.props.logRetention ?? logs.RetentionDays.ONE_MONTH,
    });
    grantAccess(fn, job.grants, this.backend);
    new events.Rule(this, `${job.id}Schedule`, {
      description: job.description,
      schedule: events.Schedule.rate(Duration.minutes(job.everyMinutes)),
      targets: [new targets.LambdaFunction(fn, { retryAttempts: 2 })],
    });
    return fn;
  }
}

function validateLogLevels(props: LatchkeyServiceProps): void {
  const functionIds = new Set(['authorizer', ...ROUTES.map((r) => r.id)]);
  for (const id of Object.keys(props.functionLogLevels ?? {})) {
    if (!functionIds.has(id)) {
      throw new Error(
        `LatchkeyService: functionLogLevels names "${id}", which is neither "authorizer" nor a route id`,
      );
    }
  }
}
