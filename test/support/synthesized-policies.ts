import { App, CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { buildLatchkeyApp, type LatchkeyStack } from '../../infra/stack';
import { TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import type { RouteId } from '../../shared/routes';
import type { PolicyStatement } from './dynamodb-iam';

/**
 * The deployable stack synthesized without bundling (IAM does not depend on it), and the policy
 * statements of its functions' roles, for tests that look at what a function may do.
 */
interface Resource {
  Type: string;
  Properties: { Roles?: unknown; PolicyDocument?: { Statement: PolicyStatement[] } };
}

export interface SynthesizedPolicies {
  readonly stack: LatchkeyStack;
  readonly template: Template;
  logicalId(construct: IConstruct): string;
  /** Every statement of the function's role. */
  statementsOf(fn: lambda.IFunction): PolicyStatement[];
  /** The route function's statements that name a DynamoDB action. */
  tableStatementsOf(routeId: RouteId): PolicyStatement[];
  /** The template's reference to the table's ARN, or to one index's. */
  tableResource(indexName?: string): unknown;
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

export function synthesizePolicies(): SynthesizedPolicies {
  const app = new App({
    context: { fromAddress: 'no-reply@latchkey.example', 'aws:cdk:bundling-stacks': [] },
  });
  const stack = buildLatchkeyApp(app);
  const template = Template.fromStack(stack);
  const resources = (template.toJSON() as { Resources: Record<string, Resource> }).Resources;
  const logicalId = (construct: IConstruct): string => {
    const child = construct.node.defaultChild;
    if (!CfnElement.isCfnElement(child)) throw new Error(`${construct.node.path} has no resource`);
    return stack.getLogicalId(child);
  };
  const statementsOf = (fn: lambda.IFunction): PolicyStatement[] => {
    if (!(fn.role instanceof iam.Role)) throw new Error(`${fn.node.path} has no role of its own`);
    const role = JSON.stringify({ Ref: logicalId(fn.role) });
    return Object.values(resources)
      .filter((r) => r.Type === 'AWS::IAM::Policy')
      .filter((r) => asList(r.Properties.Roles).some((ref) => JSON.stringify(ref) === role))
      .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);
  };
  const tableArn = { 'Fn::GetAtt': [logicalId(stack.service.table), 'Arn'] };
  return {
    stack,
    template,
    logicalId,
    statementsOf,
    tableStatementsOf: (routeId) => {
      const fn = stack.service.routeFunctions.get(routeId);
      if (fn === undefined) throw new Error(`No function for ${routeId}`);
      return statementsOf(fn).filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
    },
    tableResource: (indexName) =>
      indexName === undefined ? tableArn : { 'Fn::Join': ['', [tableArn, `/index/${indexName}`]] },
  };
}

/** The partition key attribute of the table, or of the named index. */
export function partitionKeyOf(indexName: string | undefined): string {
  if (indexName === undefined) return TABLE_SCHEMA.partitionKey;
  const index = Object.values(TABLE_SCHEMA.indexes).find((i) => i.name === indexName);
  if (index === undefined) throw new Error(`No index ${indexName}`);
  return index.partitionKey;
}
