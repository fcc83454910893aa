import { RemovalPolicy } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

export interface LatchkeyStageProps {
  readonly httpApi: apigwv2.IHttpApi;
  /** Steady-state requests per second. @default 50 */
  readonly throttleRateLimit?: number;
  /** @default 100 */
  readonly throttleBurstLimit?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

/**
 * The `$default` stage both Latchkey APIs use: auto-deployed, throttled, with JSON access logs in a
 * log group of its own (created beside the stage as `<id>AccessLogs`).
 */
export class LatchkeyStage extends apigwv2.HttpStage {
  constructor(scope: Construct, id: string, props: LatchkeyStageProps) {
    for (const [name, value] of [
      ['throttleRateLimit', props.throttleRateLimit],
      ['throttleBurstLimit', props.throttleBurstLimit],
    ] as const) {
      if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
        throw new Error(`LatchkeyService: ${name} must be a positive integer`);
      }
    }
    const accessLogs = new logs.LogGroup(scope, `${id}AccessLogs`, {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    super(scope, id, {
      httpApi: props.httpApi,
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
