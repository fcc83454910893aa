import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import { describe, expect, it } from 'vitest';
import { LatchkeyAlarms } from '../../infra/constructs/latchkey-alarms';
import { LatchkeyDashboard } from '../../infra/constructs/latchkey-dashboard';
import { LatchkeyService } from '../../infra/constructs/latchkey-service';
import { servicePropsFromContext } from '../../infra/stack';

/**
 * The monitoring constructs as a team attaches them to what it runs: its own authorizer function and
 * its own topic, with bundling skipped (test/infra/stack.test.ts checks the wired stack).
 */
function teamStack() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Team', { env: { account: '111122223333', region: 'eu-west-1' } });
  const authorizer = new lambda.Function(stack, 'Authorizer', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ isAuthorized: false });'),
  });
  const topic = sns.Topic.fromTopicArn(stack, 'Pager', 'arn:aws:sns:eu-west-1:111122223333:pager');
  return { stack, authorizer, topic };
}

describe('LatchkeyAlarms attached by a team', () => {
  it('alarms on the given authorizer and on Latchkey metrics in the given namespace, to the given topic', () => {
    const { stack, authorizer, topic } = teamStack();
    const { alarms } = new LatchkeyAlarms(stack, 'Alarms', {
      topic,
      authorizer,
      metricsNamespace: 'Latchkey/orders',
      authorizerP99: Duration.millis(250),
      leakReportsPerHour: 1,
    });
    const template = Template.fromStack(stack);
    const all = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(alarms).toHaveLength(all.length);
    expect(all.map((a) => a.Properties.MetricName).sort()).toEqual(
      ['Duration', 'Errors', 'LeakReports', 'PepperDecryptFailures', 'Throttles', 'VerificationLocks'].sort(),
    );
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Duration',
      ExtendedStatistic: 'p99',
      Threshold: 250,
      EvaluationPeriods: 3,
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Latchkey/orders',
      MetricName: 'LeakReports',
      Threshold: 1,
      Period: 3600,
      TreatMissingData: 'notBreaching',
    });
    for (const alarm of all) {
      expect(alarm.Properties.AlarmActions).toEqual([topic.topicArn]);
      expect(alarm.Properties.OKActions).toEqual([topic.topicArn]);
    }
    template.resourceCountIs('AWS::SNS::Topic', 0);
  });

  it('refuses a threshold that could never or always fire, naming it', () => {
    const { stack, topic } = teamStack();
    expect(() => new LatchkeyAlarms(stack, 'A', { topic, verificationLocksPerHour: 0 })).toThrow(
      /verificationLocksPerHour/,
    );
    expect(() => new LatchkeyAlarms(stack, 'B', { topic, authorizerP99: Duration.millis(0) })).toThrow(
      /authorizerP99/,
    );
  });
});

describe('LatchkeyDashboard attached by a team', () => {
  it('shows verifications by outcome from its namespace and the authorizer p50 and p99', () => {
    const { stack, authorizer } = teamStack();
    new LatchkeyDashboard(stack, 'Dashboard', { authorizer, metricsNamespace: 'Latchkey/orders' });
    const template = Template.fromStack(stack);
    const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
      Properties: { DashboardBody: { 'Fn::Join': [string, unknown[]] } };
    }[];
    const body = dashboard?.Properties.DashboardBody['Fn::Join'][1]
      .map((part) => (typeof part === 'string' ? part : 'REF'))
      .join('');
    expect(body).toContain('invocations - errors - FILL(refused, 0)');
    expect(body).toContain('{Latchkey/orders,Reason} MetricName=\\"Refusals\\"');
    expect(body).toContain('"stat":"p50"');
    expect(body).toContain('"stat":"p99"');
    expect(body).not.toContain('Latchkey alarms');
  });
});

describe('logs and tracing settings', () => {
  const bundlingOff = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');

  it('turn tracing on for the authorizer, and set log levels and the namespace per function', () => {
    const stack = bundlingOff();
    new LatchkeyService(stack, 'Latchkey', {
      fromAddress: 'keys@example.com',
      authorizerTracing: true,
      logLevel: lambda.ApplicationLogLevel.WARN,
      functionLogLevels: { authorizer: lambda.ApplicationLogLevel.DEBUG },
      metricsNamespace: 'Latchkey/staging',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('checks an API key'),
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: Match.objectLike({
        LogFormat: 'JSON',
        ApplicationLogLevel: 'DEBUG',
        SystemLogLevel: 'WARN',
      }),
      Environment: { Variables: Match.objectLike({ LATCHKEY_METRICS_NAMESPACE: 'Latchkey/staging' }) },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: 'Latchkey: POST /v1/api-keys',
      LoggingConfig: Match.objectLike({ ApplicationLogLevel: 'WARN' }),
    });
  });

  it('refuse a per-function log level for a function that does not exist', () => {
    expect(
      () =>
        new LatchkeyService(bundlingOff(), 'Latchkey', {
          fromAddress: 'keys@example.com',
          functionLogLevels: { authoriser: lambda.ApplicationLogLevel.DEBUG },
        }),
    ).toThrow(/authoriser/);
  });

  it('read from context, refusing a level Lambda does not have', () => {
    const app = new App({
      context: {
        fromAddress: 'keys@example.com',
        authorizerTracing: 'true',
        logLevel: 'warn',
        functionLogLevels: 'authorizer=DEBUG, CreateApiKey=error',
        metricsNamespace: 'Latchkey/prod',
      },
    });
    expect(servicePropsFromContext(app)).toMatchObject({
      authorizerTracing: true,
      logLevel: 'WARN',
      functionLogLevels: { authorizer: 'DEBUG', CreateApiKey: 'ERROR' },
      metricsNamespace: 'Latchkey/prod',
    });
    const bad = new App({ context: { fromAddress: 'keys@example.com', logLevel: 'verbose' } });
    expect(() => servicePropsFromContext(bad)).toThrow(/logLevel=verbose/);
  });
});
