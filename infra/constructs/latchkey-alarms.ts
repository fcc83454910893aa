import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE, METRICS, type MetricName } from '../../shared/metrics';
import { MAIL_METRICS_DIMENSION } from './latchkey-mail';

/** Where a deployment's alarms look. Every part is optional: a team attaches what it runs. */
export interface LatchkeyAlarmsProps {
  /** Alarm and OK notifications go here (the stack makes one and outputs its ARN, or takes yours). */
  readonly topic: sns.ITopic;
  /** The Lambda authorizer: its errors, throttles and p99 duration. @default - no authorizer alarms */
  readonly authorizer?: lambda.IFunction;
  /** The management API: its 5xx answers. @default - no API alarm */
  readonly managementApi?: apigwv2.IHttpApi;
  /** The Latchkey table: throttled requests and system errors. @default - no table alarms */
  readonly table?: dynamodb.ITable;
  /** The SES configuration set codes are sent through: bounces and complaints. @default - no mail alarms */
  readonly mailConfigurationSetName?: string;
  /** Latchkey's embedded metrics: pepper decrypt failures, verification locks, leak reports. @default 'Latchkey' */
  readonly metricsNamespace?: string;
  /** The authorizer's p99 duration that alarms, over three 5-minute periods. @default Duration.millis(500) */
  readonly authorizerP99?: Duration;
  /** Management API 5xx answers in 5 minutes that alarm. @default 5 */
  readonly managementServerErrors?: number;
  /** Members locked by wrong codes in an hour that alarm (a guessing attack). @default 3 */
  readonly verificationLocksPerHour?: number;
  /** Leaked-token reports in an hour that alarm (a mass leak, say a public repository). @default 5 */
  readonly leakReportsPerHour?: number;
  /** Bounced code mails in an hour that alarm. @default 5 */
  readonly mailBouncesPerHour?: number;
}

/**
 * Latchkey's alarms, each notifying the topic when it fires and when it clears. Thresholds are
 * counts over fixed periods, not anomaly bands: verification traffic is bursty, and a count tells
 * the person paged what happened. Missing data is not breaching (no traffic is no error).
 */
export class LatchkeyAlarms extends Construct {
  /** Every alarm made, for a dashboard's alarm status widget. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: LatchkeyAlarmsProps) {
    super(scope, id);
    validate(props);
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    const fiveMinutes = Duration.minutes(5);
    const hour = Duration.hours(1);
    const latchkey = (metricName: MetricName, period: Duration) =>
      new cloudwatch.Metric({ namespace, metricName, statistic: cloudwatch.Stats.SUM, period });

    const { authorizer, managementApi, table, mailConfigurationSetName } = props;
    if (authorizer !== undefined) {
      this.alarm('AuthorizerErrors', {
        metric: authorizer.metricErrors({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        description:
          'The authorizer threw (DynamoDB or KMS failed): API Gateway answered 500, failing closed.',
      });
      this.alarm('AuthorizerThrottles', {
        metric: authorizer.metricThrottles({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold: 1,
        description: 'The authorizer was throttled: requests were refused for lack of concurrency.',
      });
      const p99 = props.authorizerP99 ?? Duration.millis(500);
      this.alarm('AuthorizerP99Duration', {
        metric: authorizer.metricDuration({ period: fiveMinutes, statistic: cloudwatch.Stats.p(99) }),
        threshold: p99.toMilliseconds(),
        evaluationPeriods: 3,
        description: `The authorizer's p99 duration was over ${p99.toMilliseconds()} ms for 15 minutes.`,
      });
    }
    if (managementApi !== undefined) {
      const threshold = props.managementServerErrors ?? 5;
      this.alarm('ManagementApiServerErrors', {
        metric: managementApi.metricServerError({ period: fiveMinutes, statistic: cloudwatch.Stats.SUM }),
        threshold,
        description: `The management API answered ${threshold} or more 5xx in 5 minutes.`,
      });
    }
    if (table !== undefined) {
      this.alarm('TableThrottles', {
        metric: table.metricThrottledRequestsForOperations({
          operations: TABLE_OPERATIONS,
          period: fiveMinutes,
        }),
        threshold: 1,
        description: 'DynamoDB throttled requests to the Latchkey table.',
      });
      this.alarm('TableSystemErrors', {
        metric: table.metricSystemErrorsForOperations({ operations: TABLE_OPERATIONS, period: fiveMinutes }),
        threshold: 1,
        description: 'DynamoDB answered the Latchkey table with system errors (HTTP 500).',
      });
    }
    if (mailConfigurationSetName !== undefined) {
      const mail = (metricName: string) =>
        new cloudwatch.Metric({
          namespace: 'AWS/SES',
          metricName,
          dimensionsMap: { [MAIL_METRICS_DIMENSION]: mailConfigurationSetName },
          statistic: cloudwatch.Stats.SUM,
          period: hour,
        });
      const bounces = props.mailBouncesPerHour ?? 5;
      this.alarm('MailBounces', {
        metric: mail('Bounce'),
        threshold: bounces,
        description: `${bounces} or more code mails bounced in an hour: a wrong account address, or a sender problem.`,
      });
      this.alarm('MailComplaints', {
        metric: mail('Complaint'),
        threshold: 1,
        description: 'A code mail was reported as spam: SES suspends senders with too many complaints.',
      });
    }
    this.alarm('PepperDecryptFailures', {
      metric: latchkey(METRICS.pepperDecryptFailures, fiveMinutes),
      threshold: 1,
      description: 'KMS refused or failed to decrypt the token pepper: every verification fails closed.',
    });
    const locks = props.verificationLocksPerHour ?? 3;
    this.alarm('VerificationLockSpike', {
      metric: latchkey(METRICS.membersLocked, hour),
      threshold: locks,
      description: `${locks} or more members were locked by wrong verification codes in an hour.`,
    });
    const leaks = props.leakReportsPerHour ?? 5;
    this.alarm('LeakReportSpike', {
      metric: latchkey(METRICS.leakReports, hour),
      threshold: leaks,
      description: `${leaks} or more leaked-token reports in an hour.`,
    });

    const action = new actions.SnsAction(props.topic);
    for (const alarm of this.alarms) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
  }

  private alarm(
    id: string,
    options: {
      metric: cloudwatch.IMetric;
      threshold: number;
      description: string;
      evaluationPeriods?: number;
    },
  ): void {
    this.alarms.push(
      new cloudwatch.Alarm(this, id, {
        metric: options.metric,
        threshold: options.threshold,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: `Latchkey: ${options.description}`,
      }),
    );
  }
}

/** Every operation Latchkey's functions make on the table. */
const TABLE_OPERATIONS = [
  dynamodb.Operation.GET_ITEM,
  dynamodb.Operation.PUT_ITEM,
  dynamodb.Operation.UPDATE_ITEM,
  dynamodb.Operation.DELETE_ITEM,
  dynamodb.Operation.QUERY,
  dynamodb.Operation.TRANSACT_WRITE_ITEMS,
];

function validate(props: LatchkeyAlarmsProps): void {
  for (const [name, value] of [
    ['managementServerErrors', props.managementServerErrors],
    ['verificationLocksPerHour', props.verificationLocksPerHour],
    ['leakReportsPerHour', props.leakReportsPerHour],
    ['mailBouncesPerHour', props.mailBouncesPerHour],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new Error(`LatchkeyAlarms: ${name} must be a positive integer`);
    }
  }
  if (props.authorizerP99 !== undefined && props.authorizerP99.toMilliseconds() <= 0) {
    throw new Error('LatchkeyAlarms: authorizerP99 must be positive');
  }
}
