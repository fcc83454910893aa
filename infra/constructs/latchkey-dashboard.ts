import { Duration } from 'aws-cdk-lib';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { DEFAULT_METRICS_NAMESPACE, METRICS, type MetricName } from '../../shared/metrics';

export interface LatchkeyDashboardProps {
  /** The Lambda authorizer: verifications by outcome and its latency. */
  readonly authorizer: lambda.IFunction;
  /** @default - no management API row */
  readonly managementApi?: apigwv2.IHttpApi;
  /** @default - no table row */
  readonly table?: dynamodb.ITable;
  /** @default 'Latchkey' */
  readonly metricsNamespace?: string;
  /** Shown as an alarm status row. @default - none */
  readonly alarms?: readonly cloudwatch.IAlarm[];
  /** @default - CloudFormation names it */
  readonly dashboardName?: string;
}

const MINUTE = Duration.minutes(1);

/**
 * One dashboard for running Latchkey: verifications per minute by outcome, the authorizer's p50
 * and p99, verification codes and key events, and the management API and table when given.
 *
 * An allowed verification writes no log line (so no metric) at the default log level: allows are
 * the authorizer's invocations less its refusals and errors. Refusal reasons are found by a search,
 * so a reason the authorizer learns later shows up without a change here.
 */
export class LatchkeyDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: LatchkeyDashboardProps) {
    super(scope, id);
    const namespace = props.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE;
    const sum = (metricName: MetricName, label: string, period = MINUTE) =>
      new cloudwatch.Metric({ namespace, metricName, statistic: cloudwatch.Stats.SUM, period, label });
    const byDimension = (metricName: MetricName, dimension: string, period = MINUTE) =>
      `SEARCH('{${namespace},${dimension}} MetricName="${metricName}"', 'Sum', ${period.toSeconds()})`;

    const { authorizer } = props;
    const invocations = authorizer.metricInvocations({ period: MINUTE, statistic: cloudwatch.Stats.SUM });
    const errors = authorizer.metricErrors({ period: MINUTE, statistic: cloudwatch.Stats.SUM });
    const refusals = new cloudwatch.MathExpression({
      expression: `SUM(${byDimension(METRICS.refusals, 'Reason')})`,
      usingMetrics: {},
      period: MINUTE,
      label: 'refused',
    });
    const outcomes = new cloudwatch.GraphWidget({
      title: 'Verifications per minute by outcome',
      width: 12,
      left: [
        new cloudwatch.MathExpression({
          expression: 'invocations - errors - FILL(refused, 0)',
          usingMetrics: { invocations, errors, refused: refusals },
          period: MINUTE,
          label: 'allowed',
        }),
        refusals,
        errors.with({ label: 'errors (failed closed)' }),
      ],
    });
    const reasons = new cloudwatch.GraphWidget({
      title: 'Refusals per minute by reason',
      width: 12,
      left: [
        new cloudwatch.MathExpression({
          expression: byDimension(METRICS.refusals, 'Reason'),
          usingMetrics: {},
          period: MINUTE,
          label: '',
        }),
      ],
    });
    const latency = new cloudwatch.GraphWidget({
      title: 'Authorizer duration (ms)',
      width: 12,
      left: [
        authorizer.metricDuration({ period: MINUTE, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
        authorizer.metricDuration({ period: MINUTE, statistic: cloudwatch.Stats.p(99), label: 'p99' }),
      ],
    });
    const keyEvents = new cloudwatch.GraphWidget({
      title: 'Key events (5 minutes)',
      width: 12,
      stacked: true,
      left: [
        new cloudwatch.MathExpression({
          expression: byDimension(METRICS.keyEvents, 'Event', Duration.minutes(5)),
          usingMetrics: {},
          period: Duration.minutes(5),
          label: '',
        }),
      ],
    });
    const codes = new cloudwatch.GraphWidget({
      title: 'Verification codes and leak reports (5 minutes)',
      width: 12,
      left: [
        sum(METRICS.codesSent, 'codes sent', Duration.minutes(5)),
        sum(METRICS.codesFailed, 'codes refused', Duration.minutes(5)),
        sum(METRICS.codeSendFailures, 'mails failed', Duration.minutes(5)),
        sum(METRICS.lockedRefusals, 'refused: member locked', Duration.minutes(5)),
      ],
      right: [
        sum(METRICS.membersLocked, 'members locked', Duration.minutes(5)),
        sum(METRICS.leakReports, 'leak reports', Duration.minutes(5)),
        sum(METRICS.pepperDecryptFailures, 'pepper decrypt failures', Duration.minutes(5)),
      ],
    });

    const rows: cloudwatch.IWidget[][] = [];
    if (props.alarms !== undefined && props.alarms.length > 0) {
      rows.push([
        new cloudwatch.AlarmStatusWidget({ title: 'Latchkey alarms', alarms: [...props.alarms], width: 24 }),
      ]);
    }
    rows.push([outcomes, reasons], [latency, keyEvents], [codes]);
    if (props.managementApi !== undefined) {
      const api = props.managementApi;
      rows[rows.length - 1]?.push(
        new cloudwatch.GraphWidget({
          title: 'Management API (5 minutes)',
          width: 12,
          left: [
            api.metricCount({
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.SUM,
              label: 'requests',
            }),
            api.metricClientError({ period: Duration.minutes(5), label: '4xx' }),
            api.metricServerError({ period: Duration.minutes(5), label: '5xx' }),
          ],
          right: [
            api.metricLatency({
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.p(99),
              label: 'p99 ms',
            }),
          ],
        }),
      );
    }
    if (props.table !== undefined) {
      const table = props.table;
      rows.push([
        new cloudwatch.GraphWidget({
          title: 'Latchkey table (5 minutes)',
          width: 24,
          left: [
            table.metricConsumedReadCapacityUnits({ period: Duration.minutes(5), label: 'read units' }),
            table.metricConsumedWriteCapacityUnits({ period: Duration.minutes(5), label: 'write units' }),
          ],
          right: [
            table.metric('ReadThrottleEvents', {
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.SUM,
            }),
            table.metric('WriteThrottleEvents', {
              period: Duration.minutes(5),
              statistic: cloudwatch.Stats.SUM,
            }),
          ],
        }),
      ]);
    }
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: Duration.hours(3),
      widgets: rows,
    });
  }
}
