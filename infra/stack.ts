import { type App, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { LatchkeyAlarms } from './constructs/latchkey-alarms';
import { LatchkeyDashboard } from './constructs/latchkey-dashboard';
import { LatchkeyService } from './constructs/latchkey-service';
import type { LatchkeyServiceProps } from './constructs/latchkey-service-props';

export interface LatchkeyStackProps extends StackProps {
  readonly service: LatchkeyServiceProps;
  /**
   * Where alarms notify. Subscribe people or a chat tool to it.
   * @default - a new topic, whose ARN is the `AlarmTopicArn` output
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * The alarms and the dashboard. Turn off only to wire your own with LatchkeyAlarms/LatchkeyDashboard.
   * @default true
   */
  readonly monitoring?: boolean;
  /** An existing topic by ARN, instead of `alarmTopic` (for `-c alarmTopicArn=...`). @default - none */
  readonly alarmTopicArn?: string;
}

/** The deployable stack: the service and the outputs other stacks and the admin CLI need. */
export class LatchkeyStack extends Stack {
  readonly service: LatchkeyService;

  constructor(scope: Construct, id: string, props: LatchkeyStackProps) {
    super(scope, id, props);
    const service = new LatchkeyService(this, 'Latchkey', props.service);
    this.service = service;

    new CfnOutput(this, 'ManagementApiUrl', {
      value: service.managementStage.url,
      description: 'Base URL of the management API (JWT)',
    });
    if (service.protectedStage !== undefined) {
      new CfnOutput(this, 'ProtectedApiUrl', {
        value: service.protectedStage.url,
        description: 'Base URL of the sample API guarded by API keys',
      });
    }
    if (service.userPool !== undefined && service.userPoolClient !== undefined) {
      new CfnOutput(this, 'UserPoolId', { value: service.userPool.userPoolId });
      new CfnOutput(this, 'UserPoolClientId', { value: service.userPoolClient.userPoolClientId });
    }
    new CfnOutput(this, 'TableName', {
      value: service.table.tableName,
      description: 'LATCHKEY_TABLE_NAME for the admin CLI',
    });
    new CfnOutput(this, 'TableKeyArn', { value: service.tableKey.keyArn });
    new CfnOutput(this, 'PepperKeyArn', { value: service.pepper.key.keyArn });
    new CfnOutput(this, 'Peppers', {
      value: service.pepper.peppersJson,
      description: 'LATCHKEY_PEPPERS: encrypted pepper versions (ciphertext only, useless without KMS)',
    });
    if (props.monitoring ?? true) {
      const topic =
        props.alarmTopic ??
        (props.alarmTopicArn === undefined
          ? this.alarmTopic()
          : sns.Topic.fromTopicArn(this, 'AlarmTopic', props.alarmTopicArn));
      const alarms = new LatchkeyAlarms(this, 'Alarms', {
        topic,
        authorizer: service.authorizer.function,
        managementApi: service.managementApi,
        table: service.table,
        mailConfigurationSetName: service.mail.configurationSetName,
        metricsNamespace: props.service.metricsNamespace,
      });
      const dashboard = new LatchkeyDashboard(this, 'Dashboard', {
        authorizer: service.authorizer.function,
        managementApi: service.managementApi,
        table: service.table,
        metricsNamespace: props.service.metricsNamespace,
        alarms: alarms.alarms,
      });
      new CfnOutput(this, 'AlarmTopicArn', {
        value: topic.topicArn,
        description: 'Latchkey alarms notify this SNS topic: subscribe to it',
      });
      new CfnOutput(this, 'DashboardName', { value: dashboard.dashboard.dashboardName });
    }
    new CfnOutput(this, 'AuthorizerFunctionArn', {
      value: service.authorizer.function.functionArn,
      exportName: `${this.stackName}-AuthorizerFunctionArn`,
    });
  }

  private alarmTopic(): sns.Topic {
    const topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Latchkey alarms', enforceSSL: true });
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'The topic carries alarm state changes (alarm name, metric, threshold), no key, token or ' +
        'account data. Encrypting it needs a customer-managed key whose policy lets CloudWatch use it, ' +
        'at $1 a month; a team that wants it passes its own encrypted topic as alarmTopic.',
    });
    return topic;
  }
}

/** Reads the stack's settings from CDK context (`cdk.json`, or `-c key=value` on the command line). */
export function servicePropsFromContext(scope: Construct): LatchkeyServiceProps {
  const text = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
  const list = (key: string): string[] | undefined =>
    text(key)
      ?.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== '');
  const integer = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const n = Number(value);
    if (!Number.isInteger(n)) throw new Error(`Context ${key} must be an integer, not "${value}"`);
    return n;
  };

  const fromAddress = text('fromAddress');
  if (fromAddress === undefined)
    throw new Error('Set the sender address: cdk deploy -c fromAddress=you@example.com');
  const oidcIssuer = text('oidcIssuer');
  const oidcAudience = list('oidcAudience');
  if ((oidcIssuer === undefined) !== (oidcAudience === undefined)) {
    throw new Error('Set both oidcIssuer and oidcAudience, or neither (for the default Cognito user pool)');
  }
  const retentionDays = integer('logRetentionDays');
  if (retentionDays !== undefined && !Object.values(logs.RetentionDays).includes(retentionDays)) {
    throw new Error(`Context logRetentionDays=${retentionDays} is not a CloudWatch Logs retention period`);
  }
  const cacheSeconds = integer('authorizerCacheTtlSeconds');
  const sample = text('sampleProtectedApi');
  const tracing = text('authorizerTracing');
  const logLevel = text('logLevel');
  const functionLogLevels = Object.fromEntries(
    (list('functionLogLevels') ?? []).map((pair) => {
      const [id = '', level = ''] = pair.split('=').map((part) => part.trim());
      return [id, applicationLogLevel(`functionLogLevels (${id})`, level)];
    }),
  );
  const hostedConsole = text('console');
  const pepperVersions = list('pepperVersions')?.map(Number);
  const auditDays = integer('auditRetentionDays');
  if (auditDays !== undefined && auditDays < 1) {
    throw new Error(`Context auditRetentionDays must be at least 1, not ${auditDays}`);
  }
  return {
    fromAddress,
    fromName: text('fromName'),
    sesIdentity: text('sesIdentity'),
    oidc:
      oidcIssuer === undefined || oidcAudience === undefined
        ? undefined
        : { issuer: oidcIssuer, audience: oidcAudience },
    corsAllowOrigins: list('corsAllowOrigins'),
    throttleRateLimit: integer('throttleRateLimit'),
    throttleBurstLimit: integer('throttleBurstLimit'),
    pepperVersions,
    authorizerCacheTtl: cacheSeconds === undefined ? undefined : Duration.seconds(cacheSeconds),
    logRetention: retentionDays,
    sampleProtectedApi: sample === undefined ? undefined : sample !== 'false',
    authorizerTracing: tracing === undefined ? undefined : tracing === 'true',
    logLevel: logLevel === undefined ? undefined : applicationLogLevel('logLevel', logLevel),
    functionLogLevels,
    metricsNamespace: text('metricsNamespace'),
    console: hostedConsole === undefined ? undefined : hostedConsole !== 'false',
    cognitoDomainPrefix: text('cognitoDomainPrefix'),
    leakReporterKeys: text('leakReporterKeys'),
    auditRetention: auditDays === undefined ? undefined : Duration.days(auditDays),
  };
}

function applicationLogLevel(name: string, value: string): lambda.ApplicationLogLevel {
  const level = Object.values(lambda.ApplicationLogLevel).find((l) => l === value.toUpperCase());
  if (level === undefined) {
    throw new Error(
      `Context ${name}=${value} is not one of ${Object.values(lambda.ApplicationLogLevel).join(', ')}`,
    );
  }
  return level;
}

/** The stack's own settings from context: an existing alarm topic, or no monitoring at all. */
function stackPropsFromContext(
  app: App,
): Pick<LatchkeyStackProps, 'monitoring'> & { alarmTopicArn?: string } {
  const topicArn: unknown = app.node.tryGetContext('alarmTopicArn');
  const monitoring: unknown = app.node.tryGetContext('monitoring');
  return {
    ...(typeof topicArn === 'string' && topicArn !== '' ? { alarmTopicArn: topicArn } : {}),
    monitoring: monitoring === undefined ? true : String(monitoring) !== 'false',
  };
}

/**
 * The app as `cdk synth`/`cdk deploy` build it: the stack from context, with cdk-nag's AWS Solutions
 * checks as a validation plugin, so any unacknowledged finding fails synthesis.
 */
export function buildLatchkeyApp(app: App): LatchkeyStack {
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Latchkey';
  const { alarmTopicArn, monitoring } = stackPropsFromContext(app);
  const stack = new LatchkeyStack(app, stackName, {
    description: 'Latchkey: account-level API keys with permission sets, and a Lambda authorizer',
    service: servicePropsFromContext(app),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
    monitoring,
    ...(alarmTopicArn === undefined ? {} : { alarmTopicArn }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
