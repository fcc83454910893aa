import { type App, CfnOutput, Duration, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Construct } from 'constructs';
import { LatchkeyService, type LatchkeyServiceProps } from './constructs/latchkey-service';

export interface LatchkeyStackProps extends StackProps {
  readonly service: LatchkeyServiceProps;
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
    new CfnOutput(this, 'AuthorizerFunctionArn', {
      value: service.authorizer.function.functionArn,
      exportName: `${this.stackName}-AuthorizerFunctionArn`,
    });
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
    console: hostedConsole === undefined ? undefined : hostedConsole !== 'false',
    cognitoDomainPrefix: text('cognitoDomainPrefix'),
    leakReporterKeys: text('leakReporterKeys'),
    auditRetention: auditDays === undefined ? undefined : Duration.days(auditDays),
  };
}

/**
 * The app as `cdk synth`/`cdk deploy` build it: the stack from context, with cdk-nag's AWS Solutions
 * checks as a validation plugin, so any unacknowledged finding fails synthesis.
 */
export function buildLatchkeyApp(app: App): LatchkeyStack {
  const stackName = (app.node.tryGetContext('stackName') as string | undefined) ?? 'Latchkey';
  const stack = new LatchkeyStack(app, stackName, {
    description: 'Latchkey: account-level API keys with permission sets, and a Lambda authorizer',
    service: servicePropsFromContext(app),
    env: { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return stack;
}
