import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE } from '../../shared/metrics';
import { FUNCTION_BASE_ENVIRONMENT, FUNCTION_BUNDLING } from './function-bundling';

/** The repository root: handler paths in the route table are relative to it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The newest Node.js runtime this aws-cdk-lib knows, which is exactly what cdk-nag's
 * AwsSolutions-L1 demands. Pinned rather than computed so an aws-cdk-lib upgrade shows up as a
 * reviewed change to this line.
 */
export const LATCHKEY_RUNTIME = lambda.Runtime.NODEJS_24_X;

export interface LatchkeyFunctionProps {
  /** Handler file relative to the repository root (as in shared/routes.ts); it exports `handler`. */
  readonly handlerFile: string;
  /** Shown in the Lambda console. */
  readonly description: string;
  /**
   * Settings the function needs, and nothing more.
   * @default - none besides NODE_OPTIONS
   */
  readonly environment?: Record<string, string>;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(10) */
  readonly timeout?: Duration;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * X-Ray active tracing. Sampled (1 request/s plus 5%), so it stays within the free tier for most
   * deployments; it adds one `Resource: "*"` statement, because X-Ray has no resource-level permissions.
   * @default true
   */
  readonly tracing?: boolean;
  /**
   * The lowest level of the function's own lines Lambda keeps (and the function writes: the logger
   * reads it from `AWS_LAMBDA_LOG_LEVEL`). Metrics ride on info lines, so above INFO they are lost.
   * @default lambda.ApplicationLogLevel.INFO
   */
  readonly applicationLogLevel?: lambda.ApplicationLogLevel;
  /**
   * The lowest level of Lambda's own lines kept. At WARN, Lambda drops its per-request START,
   * runtimeDone (END) and REPORT records (about 0.4 KB of JSON per invocation) and keeps warnings such
   * as a timeout. Lambda's own metrics (invocations, errors, duration) do not come from these lines.
   * @default lambda.SystemLogLevel.WARN
   */
  readonly systemLogLevel?: lambda.SystemLogLevel;
  /**
   * The CloudWatch namespace of the function's embedded metrics.
   * @default 'Latchkey'
   */
  readonly metricsNamespace?: string;
}

/**
 * The one place function defaults live: a NodejsFunction bundled locally by esbuild (never Docker),
 * as function-bundling.ts says (minified, no source maps), the AWS SDK bundled in (a bundled SDK starts faster than the runtime's
 * and pins the version we test against), ESM output, arm64, the newest runtime, and an explicit log
 * group with retention. Each function gets its own role that may write only to its own log group;
 * callers add exactly the statements the function needs with `addToRolePolicy`.
 */
export class LatchkeyFunction extends NodejsFunction {
  /** The handler file this function is bundled from, relative to the repository root. */
  readonly handlerFile: string;

  constructor(scope: Construct, id: string, props: LatchkeyFunctionProps) {
    const entry = join(PROJECT_ROOT, props.handlerFile);
    if (!existsSync(entry)) {
      throw new Error(`LatchkeyFunction ${id}: handler file ${props.handlerFile} does not exist`);
    }
    if (props.memorySize !== undefined && (props.memorySize < 128 || props.memorySize > 10_240)) {
      throw new Error(`LatchkeyFunction ${id}: memorySize must be between 128 and 10240 MB`);
    }
    const logGroup = new logs.LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // An explicit role instead of AWSLambdaBasicExecutionRole, whose logs:* on every log group is
    // broader than a function writing its own log needs.
    const role = new iam.Role(scope, `${id}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs ${props.handlerFile}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [logGroup.logGroupArn],
      }),
    );
    const tracing = props.tracing ?? true;

    super(scope, id, {
      entry,
      handler: 'handler',
      description: props.description,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: join(PROJECT_ROOT, 'package-lock.json'),
      runtime: LATCHKEY_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(10),
      role,
      logGroup,
      tracing: tracing ? lambda.Tracing.ACTIVE : lambda.Tracing.DISABLED,
      // JSON: the functions' lines are JSON already, and only in this format does Lambda filter by level.
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: props.applicationLogLevel ?? lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: props.systemLogLevel ?? lambda.SystemLogLevel.WARN,
      environment: {
        ...FUNCTION_BASE_ENVIRONMENT,
        ...(props.metricsNamespace === undefined || props.metricsNamespace === DEFAULT_METRICS_NAMESPACE
          ? {}
          : { LATCHKEY_METRICS_NAMESPACE: props.metricsNamespace }),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        minify: FUNCTION_BUNDLING.minify,
        sourceMap: FUNCTION_BUNDLING.sourceMap,
        format: OutputFormat.ESM,
        mainFields: [...FUNCTION_BUNDLING.mainFields],
        define: { ...FUNCTION_BUNDLING.define },
        banner: FUNCTION_BUNDLING.banner,
        bundleAwsSDK: true,
        externalModules: [],
        logLevel: LogLevel.WARNING,
      },
    });
    this.handlerFile = props.handlerFile;

    if (tracing) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Only xray:PutTraceSegments and xray:PutTelemetryRecords use Resource "*": X-Ray has no ' +
          'resource-level permissions. Every data-plane statement names its table, index or key.',
      });
    }
  }
}
