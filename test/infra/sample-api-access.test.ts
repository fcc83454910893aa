import { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { buildLatchkeyApp } from '../../infra/stack';
import { ACCOUNT_FIELDS, TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import type { RouteId } from '../../shared/routes';

/**
 * Least privilege for the sample protected API, asserted on the synthesized policies. DynamoDB Local
 * does not evaluate IAM, so these assertions (not the sample API's HTTP tests) are the proof that
 * each function reaches only its own partitions (`dynamodb:LeadingKeys`) and only the attributes it
 * works with (`dynamodb:Attributes`). Bundling is skipped: IAM does not depend on it.
 */
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

const app = new App({
  context: { fromAddress: 'no-reply@latchkey.example', 'aws:cdk:bundling-stacks': [] },
});
const stack = buildLatchkeyApp(app);
const template = Template.fromStack(stack);
interface PolicyResource {
  Type: string;
  Properties: { Roles?: unknown; PolicyDocument?: { Statement: Statement[] } };
}
const resources = (template.toJSON() as { Resources: Record<string, PolicyResource> }).Resources;

function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(child)) throw new Error(`${construct.node.path} has no resource`);
  return stack.getLogicalId(child);
}

const asList = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

function roleOf(routeId: RouteId): string {
  const fn = stack.service.routeFunctions.get(routeId);
  if (fn === undefined || !(fn.role instanceof iam.Role)) throw new Error(`No role for ${routeId}`);
  return logicalId(fn.role);
}

/** The route's DynamoDB statements (its log, X-Ray and table-key statements left out). */
function tableStatements(routeId: RouteId): Statement[] {
  const role = roleOf(routeId);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) =>
      asList(r.Properties.Roles).some(
        (ref: unknown) => JSON.stringify(ref) === JSON.stringify({ Ref: role }),
      ),
    )
    .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? [])
    .filter((s) => asList(s.Action).some((a) => a.startsWith('dynamodb:')));
}

const tableArn = { 'Fn::GetAtt': [logicalId(stack.service.table), 'Arn'] };
const byAccountIndexArn = {
  'Fn::Join': ['', [tableArn, `/index/${TABLE_SCHEMA.indexes.byAccount.name}`]],
};
const only = (prefix: string) => ({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [prefix] } });
const attributes = (names: readonly string[]) => ({
  'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...names] },
  StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': 'NONE' },
});
const accountRead: Statement = {
  Sid: 'AccountRead',
  Effect: 'Allow',
  Action: 'dynamodb:GetItem',
  Resource: tableArn,
  Condition: { ...only('ACCOUNT#*'), ...attributes(['pk', 'sk', ...ACCOUNT_FIELDS]) },
};

describe('the sample API’s table access', () => {
  it('GET /v1/sites reads the account item’s own fields by GetItem, and nothing else', () => {
    expect(tableStatements('ListSites')).toEqual([accountRead]);
    expect(ACCOUNT_FIELDS).toEqual(['accountId', 'email', 'sites', 'createdAt', 'sitesVersion']);
  });

  it('POST /v1/sites sets the account’s site list and copies site ids onto its keys, nothing more', () => {
    expect(tableStatements('AddSite')).toEqual([
      accountRead,
      {
        Sid: 'SiteListWrite',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: { ...only('ACCOUNT#*'), ...attributes(['pk', 'sk', 'sites', 'sitesVersion']) },
      },
      {
        // The account's key ids from the account index: on an index, LeadingKeys is its partition key.
        Sid: 'AccountKeyIdsRead',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: byAccountIndexArn,
        Condition: { ...only('ACCOUNT#*'), ...attributes(['pk', 'sk', 'gsi1pk', 'gsi1sk']) },
      },
      {
        Sid: 'KeySiteIdsWrite',
        Effect: 'Allow',
        Action: 'dynamodb:UpdateItem',
        Resource: tableArn,
        Condition: { ...only('KEY#*'), ...attributes(['pk', 'sk', 'siteIds', 'version']) },
      },
    ]);
  });

  it('GET /v1/stores/products queries product partitions only', () => {
    expect(tableStatements('ListProducts')).toEqual([
      {
        Sid: 'ProductRead',
        Effect: 'Allow',
        Action: 'dynamodb:Query',
        Resource: tableArn,
        Condition: only('SITE#*'),
      },
    ]);
  });

  it('POST /v1/stores/products puts into product partitions only', () => {
    expect(tableStatements('CreateProduct')).toEqual([
      {
        Sid: 'ProductWrite',
        Effect: 'Allow',
        Action: 'dynamodb:PutItem',
        Resource: tableArn,
        Condition: { ...only('SITE#*'), StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' } },
      },
    ]);
  });

  it.each(['ListSites', 'AddSite', 'ListProducts', 'CreateProduct'] as const)(
    '%s never reaches a member, a key’s secrets or a verification code',
    (routeId) => {
      for (const statement of tableStatements(routeId)) {
        const partitions = statement.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        expect(partitions, `${routeId} ${statement.Sid}`).toBeDefined();
        expect(partitions).not.toContain('USER#*');
        const names = (statement.Condition?.['ForAllValues:StringEquals']?.['dynamodb:Attributes'] ??
          []) as string[];
        for (const secret of [
          'tokenHash',
          'previousToken',
          'permissions',
          'codeHash',
          'requestHash',
          'attempts',
        ]) {
          expect(names, `${routeId} ${statement.Sid}`).not.toContain(secret);
        }
        // A statement on the shared account partition (codes, guards, webhook, events live there
        // too) or on key items must say which attributes it may touch.
        if (JSON.stringify(partitions) !== JSON.stringify(['SITE#*'])) expect(names).not.toEqual([]);
      }
    },
  );

  it('gives the product functions no access beyond product partitions, and no function dynamodb:Scan', () => {
    for (const routeId of ['ListProducts', 'CreateProduct'] as const) {
      for (const statement of tableStatements(routeId)) {
        expect(statement.Condition?.['ForAllValues:StringLike']).toEqual({
          'dynamodb:LeadingKeys': ['SITE#*'],
        });
      }
    }
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ProductWrite', Condition: Match.objectLike(only('SITE#*')) }),
        ]),
      },
    });
  });

  it('lets the authorizer read key items only', () => {
    const fn = stack.service.authorizer.function;
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(fn.role as iam.Role) }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Sid: 'ReadKey',
            Effect: 'Allow',
            Action: 'dynamodb:GetItem',
            Resource: tableArn,
            Condition: only('KEY#*'),
          },
        ]),
      },
    });
  });
});
