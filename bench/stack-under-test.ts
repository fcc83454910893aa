import { App, CfnElement, Stack } from 'aws-cdk-lib';
import { LatchkeyFunction } from '../infra/constructs/latchkey-function';
import { LatchkeyStack } from '../infra/stack';

/**
 * The stack as it deploys, synthesized without bundling: every function it holds, and the
 * authorizer's environment and log level exactly as the template gives them.
 */
export interface StackUnderTest {
  /** Every function's handler file, the authorizer's included. */
  readonly handlerFiles: readonly string[];
  readonly authorizerHandlerFile: string;
  /** The authorizer's template environment: strings as is, CloudFormation references as objects. */
  readonly authorizerEnvironment: Readonly<Record<string, unknown>>;
  /** The template's ApplicationLogLevel, which Lambda hands the function as AWS_LAMBDA_LOG_LEVEL. */
  readonly authorizerLogLevel: string | undefined;
}

interface TemplateResource {
  readonly Properties: {
    readonly Environment?: { readonly Variables?: Record<string, unknown> };
    readonly LoggingConfig?: { readonly ApplicationLogLevel?: string };
  };
}

export function synthesizeStackUnderTest(): StackUnderTest {
  const app = new App({
    context: { fromAddress: 'no-reply@latchkey.example', 'aws:cdk:bundling-stacks': [] },
  });
  const stack = new LatchkeyStack(app, 'LatchkeyBench', {
    service: { fromAddress: 'no-reply@latchkey.example' },
  });
  const functions = stack.node.findAll().filter((c): c is LatchkeyFunction => c instanceof LatchkeyFunction);
  const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<
    string,
    TemplateResource
  >;
  const authorizer = stack.service.authorizer.function;
  const resource = authorizer.node.defaultChild;
  if (!CfnElement.isCfnElement(resource)) throw new Error('The authorizer has no resource');
  const properties = resources[Stack.of(authorizer).getLogicalId(resource)]?.Properties;
  return {
    handlerFiles: functions.map((fn) => fn.handlerFile),
    authorizerHandlerFile: authorizer.handlerFile,
    authorizerEnvironment: properties?.Environment?.Variables ?? {},
    authorizerLogLevel: properties?.LoggingConfig?.ApplicationLogLevel,
  };
}

/**
 * The environment the timed processes get: the template's values, each CloudFormation reference
 * replaced by its local counterpart (a reference with none stops the bench), plus the log level.
 */
export function localFunctionEnvironment(
  stack: StackUnderTest,
  localValues: Readonly<Record<string, string>>,
  sourceMaps: boolean,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(stack.authorizerEnvironment)) {
    const local = localValues[name];
    if (typeof value === 'string') env[name] = value;
    else if (local !== undefined) env[name] = local;
    else throw new Error(`The bench has no local value for the authorizer's ${name}`);
  }
  if (stack.authorizerLogLevel !== undefined) env.AWS_LAMBDA_LOG_LEVEL = stack.authorizerLogLevel;
  if (sourceMaps) env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --enable-source-maps`.trim();
  return env;
}
