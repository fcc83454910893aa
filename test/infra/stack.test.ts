import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTableCommand, DescribeTimeToLiveCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { App, CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZER_HANDLER_FILE } from '../../infra/constructs/latchkey-authorizer';
import { LatchkeyFunction } from '../../infra/constructs/latchkey-function';
import { CLI_REDIRECT_URI } from '../../infra/constructs/latchkey-management-api';
import { buildLatchkeyApp, type LatchkeyStack } from '../../infra/stack';
import { createTableInput, TABLE_SCHEMA, timeToLiveInput } from '../../shared/adapters/table-schema';
import { type Grant, ROUTES, type RouteDefinition, routeKey } from '../../shared/routes';
import { SCHEDULES } from '../../shared/schedules';

/**
 * The deployable stack, synthesized once for the whole file exactly as `cdk synth` builds it: real
 * esbuild bundles and cdk-nag's AWS Solutions checks as a validation plugin. The assertions are about
 * behaviour: which route reaches which function, and what each function may do.
 */
interface CfnResource {
  Type: string;
  Properties: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
  Metadata?: Record<string, unknown>;
}
interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

let stack: LatchkeyStack;
let template: Template;
let resources: Record<string, CfnResource>;
let assemblyDir: string;
let synthError: unknown;

beforeAll(() => {
  const app = new App({ context: { fromAddress: 'no-reply@latchkey.example' } });
  stack = buildLatchkeyApp(app);
  try {
    assemblyDir = app.synth().directory;
  } catch (error) {
    synthError = error;
    throw error;
  }
  template = Template.fromStack(stack);
  resources = (template.toJSON() as { Resources: Record<string, CfnResource> }).Resources;
}, 240_000);

afterAll(() => {
  // The assembly (about 30 MB of bundles) lives in a temporary directory; leave nothing behind.
  if (assemblyDir !== undefined) rmSync(assemblyDir, { recursive: true, force: true });
});

function logicalId(construct: IConstruct): string {
  const child = construct.node.defaultChild;
  if (!CfnElement.isCfnElement(child)) throw new Error(`${construct.node.path} has no resource`);
  return stack.getLogicalId(child);
}

function resource(id: string): CfnResource {
  const found = resources[id];
  if (found === undefined) throw new Error(`No resource ${id}`);
  return found;
}

function asList<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

/** Every statement in every policy attached to the function's role. */
function statementsOf(fn: lambda.IFunction): Statement[] {
  const role = fn.role;
  if (!(role instanceof iam.Role)) throw new Error('Expected a role created by the stack');
  const roleId = logicalId(role);
  return Object.values(resources)
    .filter((r) => r.Type === 'AWS::IAM::Policy')
    .filter((r) =>
      asList(r.Properties.Roles as unknown[]).some(
        (ref) => JSON.stringify(ref) === JSON.stringify({ Ref: roleId }),
      ),
    )
    .flatMap((r) => (r.Properties.PolicyDocument as { Statement: Statement[] }).Statement);
}

function actionsOf(fn: lambda.IFunction): string[] {
  return [...new Set(statementsOf(fn).flatMap((s) => asList(s.Action)))].sort();
}

function latchkeyFunctions(): LatchkeyFunction[] {
  return stack.node.findAll().filter((c): c is LatchkeyFunction => c instanceof LatchkeyFunction);
}

function routeFunction(route: RouteDefinition): LatchkeyFunction {
  const fn = stack.service.routeFunctions.get(route.id);
  if (fn === undefined) throw new Error(`No function for route ${route.id}`);
  return fn;
}

const ref = (id: string) => ({ Ref: id });
const arnOf = (id: string) => ({ 'Fn::GetAtt': [id, 'Arn'] });

/** What each grant in the route table must turn into, and nothing else. */
function expectedActions(grants: readonly Grant[]): string[] {
  const actions = new Set([
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'xray:PutTelemetryRecords',
    'xray:PutTraceSegments',
  ]);
  const reads = grants.includes('table:read');
  const writes = grants.includes('table:write');
  if (reads) for (const a of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query']) actions.add(a);
  if (writes)
    for (const a of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) actions.add(a);
  // The sample API's item-kind grants: exactly the calls its adapters make.
  if (grants.includes('account:read')) actions.add('dynamodb:GetItem');
  if (grants.includes('sites:write'))
    for (const a of ['dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:Query']) actions.add(a);
  if (grants.includes('products:read')) actions.add('dynamodb:Query');
  if (grants.includes('products:write')) actions.add('dynamodb:PutItem');
  const sampleReads = grants.includes('account:read') || grants.includes('products:read');
  const sampleWrites = grants.includes('sites:write') || grants.includes('products:write');
  if (reads || writes || sampleReads || sampleWrites)
    for (const a of ['kms:Decrypt', 'kms:DescribeKey']) actions.add(a);
  if (writes || sampleWrites) for (const a of ['kms:Encrypt', 'kms:GenerateDataKey']) actions.add(a);
  if (grants.includes('pepper:decrypt')) actions.add('kms:Decrypt');
  if (grants.includes('mail:send')) actions.add('ses:SendEmail');
  return [...actions].sort();
}

describe('the Latchkey stack', () => {
  it('synthesizes with cdk-nag AwsSolutions checks reporting no unacknowledged finding', () => {
    expect(synthError).toBeUndefined();
    expect(existsSync(join(assemblyDir, `${stack.artifactId}.template.json`))).toBe(true);
  });

  describe('routes', () => {
    it('deploys exactly the routes of the route table, and no local-only route', () => {
      const deployed = Object.values(resources)
        .filter((r) => r.Type === 'AWS::ApiGatewayV2::Route')
        .map((r) => r.Properties.RouteKey as string)
        .sort();
      expect(deployed).toEqual(ROUTES.map((r) => routeKey(r)).sort());
      expect(deployed.some((key) => key.includes('/local'))).toBe(false);
    });

    it('sends each route through its own integration to its own function, bundled from its handler file', () => {
      const apiIds = {
        management: logicalId(stack.service.managementApi),
        protected: logicalId(stack.service.protectedApi as apigwv2.HttpApi),
      };
      const functionIds = new Set<string>();
      for (const route of ROUTES) {
        const fn = routeFunction(route);
        expect(fn.handlerFile).toBe(route.handler);
        const fnId = logicalId(fn);
        functionIds.add(fnId);

        const matches = Object.values(resources).filter(
          (r) =>
            r.Type === 'AWS::ApiGatewayV2::Route' &&
            r.Properties.RouteKey === routeKey(route) &&
            JSON.stringify(r.Properties.ApiId) === JSON.stringify(ref(apiIds[route.api])),
        );
        expect(matches, routeKey(route)).toHaveLength(1);
        const target = JSON.stringify(matches[0]?.Properties.Target);
        const integrationId = /"Ref":"([A-Za-z0-9]+)"/.exec(target)?.[1] ?? '';
        const integration = resource(integrationId);
        expect(integration.Type).toBe('AWS::ApiGatewayV2::Integration');
        expect(integration.Properties.IntegrationUri).toEqual(arnOf(fnId));
      }
      expect(functionIds.size).toBe(ROUTES.length);
    });

    it('puts management routes behind the JWT authorizer and protected routes behind the Lambda authorizer', () => {
      for (const r of Object.values(resources).filter((x) => x.Type === 'AWS::ApiGatewayV2::Route')) {
        const route = ROUTES.find((x) => routeKey(x) === r.Properties.RouteKey);
        expect(route).toBeDefined();
        if (route?.auth.kind === 'signature') {
          // The leak-report route authenticates the reporter's signature in its handler.
          expect(r.Properties.AuthorizationType).toBe('NONE');
          expect(r.Properties.AuthorizerId).toBeUndefined();
          continue;
        }
        expect(r.Properties.AuthorizationType).toBe(route?.auth.kind === 'jwt' ? 'JWT' : 'CUSTOM');
        const authorizer = resource((r.Properties.AuthorizerId as { Ref: string }).Ref);
        expect(authorizer.Properties.AuthorizerType).toBe(route?.auth.kind === 'jwt' ? 'JWT' : 'REQUEST');
      }
    });

    it('validates Cognito tokens for the default user pool and app client', () => {
      const pool = logicalId(stack.service.userPool as IConstruct);
      const client = logicalId(stack.service.userPoolClient as IConstruct);
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: {
          Audience: [ref(client)],
          Issuer: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([ref(pool)])] }),
        },
      });
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      });
    });
  });

  describe('the Lambda authorizer', () => {
    it('is an HTTP API REQUEST authorizer with simple responses, both identity headers and no cache', () => {
      template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'REQUEST',
        AuthorizerPayloadFormatVersion: '2.0',
        EnableSimpleResponses: true,
        AuthorizerResultTtlInSeconds: 0,
        IdentitySource: ['$request.header.Authorization', '$request.header.x-account-id'],
        AuthorizerUri: Match.objectLike({
          'Fn::Join': ['', Match.arrayWith([arnOf(logicalId(stack.service.authorizer.function))])],
        }),
      });
    });

    it('may read a key, record lastUsedAt and decrypt the pepper, and nothing else', () => {
      const fn = stack.service.authorizer.function;
      expect(fn.handlerFile).toBe(AUTHORIZER_HANDLER_FILE);
      expect(actionsOf(fn)).toEqual(
        [
          'dynamodb:GetItem',
          'dynamodb:UpdateItem',
          'kms:Decrypt',
          'kms:DescribeKey',
          'kms:Encrypt',
          'kms:GenerateDataKey',
          'logs:CreateLogStream',
          'logs:PutLogEvents',
        ].sort(),
      );
      for (const forbidden of [
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
        'dynamodb:Scan',
        'dynamodb:Query',
      ]) {
        expect(actionsOf(fn)).not.toContain(forbidden);
      }
      const update = statementsOf(fn).find((s) => asList(s.Action).includes('dynamodb:UpdateItem'));
      expect(update?.Condition).toEqual({
        'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['pk', 'sk', 'lastUsedAt'] },
        StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
      });
      expect(update?.Resource).toEqual(arnOf(logicalId(stack.service.table)));
    });

    it('knows the protected routes of the route table and their permissions', () => {
      const variables = environmentOf(stack.service.authorizer.function);
      const expected = ROUTES.flatMap((r) =>
        r.auth.kind === 'apiKey'
          ? [{ method: r.method, path: r.path, permission: r.auth.permission, scope: r.auth.scope }]
          : [],
      );
      expect(JSON.parse(String(variables.LATCHKEY_PROTECTED_ROUTES))).toEqual(expected);
    });
  });

  describe('least privilege', () => {
    it.each(ROUTES.map((r) => [r.id, r] as const))(
      '%s has exactly the actions its grants name',
      (_, route) => {
        expect(actionsOf(routeFunction(route))).toEqual(expectedActions(route.grants));
      },
    );

    it('gives no function dynamodb:*, Scan or BatchWriteItem, and never a table action on Resource "*"', () => {
      for (const fn of latchkeyFunctions()) {
        for (const statement of statementsOf(fn)) {
          const actions = asList(statement.Action);
          expect(actions).not.toContain('dynamodb:*');
          expect(actions).not.toContain('dynamodb:Scan');
          expect(actions).not.toContain('dynamodb:BatchWriteItem');
          expect(actions.some((a) => a.endsWith('*') && !a.startsWith('xray:'))).toBe(false);
          if (
            actions.some((a) => a.startsWith('dynamodb:') || a.startsWith('kms:') || a.startsWith('ses:'))
          ) {
            expect(JSON.stringify(statement.Resource)).not.toContain('"*"');
          }
        }
      }
    });

    it('lets list and get functions read only', () => {
      for (const route of ROUTES.filter((r) => r.method === 'GET')) {
        const actions = actionsOf(routeFunction(route));
        for (const write of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem']) {
          expect(actions, route.id).not.toContain(write);
        }
      }
    });

    it('scopes table reads to the table and its two indexes, and writes to the table alone', () => {
      const tableArn = arnOf(logicalId(stack.service.table));
      const read = statementsOf(
        routeFunction(ROUTES.find((r) => r.id === 'ListApiKeys') as RouteDefinition),
      ).find((s) => s.Sid === 'TableRead');
      expect(read?.Resource).toEqual([
        tableArn,
        { 'Fn::Join': ['', [tableArn, `/index/${TABLE_SCHEMA.indexes.byAccount.name}`]] },
        { 'Fn::Join': ['', [tableArn, `/index/${TABLE_SCHEMA.indexes.byExpiry.name}`]] },
      ]);
      const write = statementsOf(
        routeFunction(ROUTES.find((r) => r.id === 'CreateApiKey') as RouteDefinition),
      ).find((s) => s.Sid === 'TableWrite');
      expect(write?.Resource).toEqual(tableArn);
    });

    it('lets only hashing and verifying functions decrypt the pepper, under its encryption context', () => {
      const pepperKey = arnOf(logicalId(stack.service.pepper.key));
      const mayDecrypt = new Set([
        ...ROUTES.filter((r) => (r.grants as readonly Grant[]).includes('pepper:decrypt')).map((r) =>
          logicalId(routeFunction(r)),
        ),
        // The reminder job opens webhook secrets, which are sealed under the pepper.
        ...SCHEDULES.filter((j) => (j.grants as readonly Grant[]).includes('pepper:decrypt')).map((j) =>
          logicalId(stack.service.jobFunctions.get(j.id) as LatchkeyFunction),
        ),
        logicalId(stack.service.authorizer.function),
      ]);
      for (const fn of latchkeyFunctions()) {
        const onPepper = statementsOf(fn).filter(
          (s) => JSON.stringify(s.Resource) === JSON.stringify(pepperKey),
        );
        if (!mayDecrypt.has(logicalId(fn))) {
          expect(
            onPepper.filter((s) => asList(s.Action).includes('kms:Decrypt')),
            fn.node.path,
          ).toEqual([]);
          continue;
        }
        expect(onPepper).toEqual([
          {
            Sid: 'PepperDecrypt',
            Effect: 'Allow',
            Action: 'kms:Decrypt',
            Resource: pepperKey,
            Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'latchkey-token-pepper' } },
          },
        ]);
      }
    });

    it('uses the table key only through DynamoDB', () => {
      const tableKey = arnOf(logicalId(stack.service.tableKey));
      for (const fn of latchkeyFunctions()) {
        for (const s of statementsOf(fn).filter(
          (x) => JSON.stringify(x.Resource) === JSON.stringify(tableKey),
        )) {
          expect(Object.keys(s.Condition?.StringEquals ?? {})).toEqual(['kms:ViaService']);
        }
      }
    });

    it('lets only the verification function send mail, from the configured identity and configuration set', () => {
      for (const route of ROUTES) {
        const send = statementsOf(routeFunction(route)).filter((s) =>
          asList(s.Action).includes('ses:SendEmail'),
        );
        if (!(route.grants as readonly Grant[]).includes('mail:send')) {
          expect(send, route.id).toEqual([]);
          continue;
        }
        expect(send).toHaveLength(1);
        expect(send[0]?.Condition).toEqual({
          StringEquals: { 'ses:FromAddress': 'no-reply@latchkey.example' },
        });
        const resourcesText = JSON.stringify(send[0]?.Resource);
        expect(resourcesText).toContain(':identity/no-reply@latchkey.example');
        expect(resourcesText).toContain(':configuration-set/');
      }
    });

    it('lets the pepper generator make ciphertext only, never plaintext', () => {
      const generator = latchkeyFunctions().find(
        (f) => f.handlerFile === 'functions/pepper/generate-pepper.ts',
      );
      expect(generator).toBeDefined();
      const statements = statementsOf(generator as LatchkeyFunction).filter((s) =>
        asList(s.Action).some((a) => a.startsWith('kms:')),
      );
      expect(statements).toEqual([
        {
          Sid: 'GeneratePepperDataKey',
          Effect: 'Allow',
          Action: 'kms:GenerateDataKeyWithoutPlaintext',
          Resource: arnOf(logicalId(stack.service.pepper.key)),
          Condition: { StringEquals: { 'kms:EncryptionContext:purpose': 'latchkey-token-pepper' } },
        },
      ]);
    });
  });

  describe('data', () => {
    it('keeps the table on demand, TTL-expired, point-in-time recoverable, protected, KMS-encrypted and retained', () => {
      const table = resource(logicalId(stack.service.table));
      expect(table.DeletionPolicy).toBe('Retain');
      expect(table.UpdateReplacePolicy).toBe('Retain');
      expect(table.Properties).toMatchObject({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        DeletionProtectionEnabled: true,
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: arnOf(logicalId(stack.service.tableKey)),
        },
        KeySchema: [
          { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
          { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: TABLE_SCHEMA.indexes.byAccount.name,
            KeySchema: [
              { AttributeName: TABLE_SCHEMA.indexes.byAccount.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_SCHEMA.indexes.byAccount.sortKey, KeyType: 'RANGE' },
            ],
            // Everything but lastUsedAt, so recording use writes no index entry.
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: [...TABLE_SCHEMA.indexes.byAccount.nonKeyAttributes],
            },
          },
          {
            IndexName: TABLE_SCHEMA.indexes.byExpiry.name,
            KeySchema: [
              { AttributeName: TABLE_SCHEMA.indexes.byExpiry.partitionKey, KeyType: 'HASH' },
              { AttributeName: TABLE_SCHEMA.indexes.byExpiry.sortKey, KeyType: 'RANGE' },
            ],
            // Sparse and lean: only what the reminder job reads, never a token digest.
            Projection: {
              ProjectionType: 'INCLUDE',
              NonKeyAttributes: [...TABLE_SCHEMA.indexes.byExpiry.projected],
            },
          },
        ],
      });
      expect(TABLE_SCHEMA.indexes.byAccount.nonKeyAttributes).not.toContain('lastUsedAt');
    });

    it('rotates and retains both KMS keys', () => {
      const keys = Object.values(resources).filter((r) => r.Type === 'AWS::KMS::Key');
      expect(keys).toHaveLength(2);
      for (const key of keys) {
        expect(key.Properties.EnableKeyRotation).toBe(true);
        expect(key.DeletionPolicy).toBe('Retain');
      }
    });

    it('never puts a plaintext pepper in the template: only KMS ciphertext reaches the functions', () => {
      // The one permitted mention is the action that makes a data key without one.
      const text = JSON.stringify(template.toJSON()).replaceAll('kms:GenerateDataKeyWithoutPlaintext', '');
      expect(/plaintext/i.test(text), 'the template mentions a plaintext').toBe(false);
      expect(
        text.includes('LATCHKEY_LOCAL_MASTER_KEY'),
        'the template configures the local key provider',
      ).toBe(false);
      const peppers = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::LatchkeyPepper');
      expect(peppers).toHaveLength(1);
      const [pepperId, pepper] = peppers[0] ?? ['', resource('missing')];
      expect(Object.keys(pepper.Properties).sort()).toEqual(['KeyId', 'ServiceToken', 'Version']);
      for (const fn of latchkeyFunctions()) {
        const variables = environmentOf(fn);
        if (variables.LATCHKEY_PEPPERS === undefined) continue;
        expect(variables.LATCHKEY_KEY_PROVIDER).toBe('kms');
        expect(variables.LATCHKEY_PEPPERS).toEqual({
          'Fn::Join': ['', ['{"1":"', { 'Fn::GetAtt': [pepperId, 'Ciphertext'] }, '"}']],
        });
      }
    });
  });

  describe('functions', () => {
    it('run on the newest Node.js runtime, arm64, with an explicit log group and tracing, without source maps', () => {
      for (const fn of latchkeyFunctions()) {
        const props = resource(logicalId(fn)).Properties;
        expect(props.Runtime, fn.node.path).toBe(lambda.Runtime.NODEJS_24_X.name);
        expect(props.Architectures).toEqual(['arm64']);
        expect(props.Handler).toBe('index.handler');
        expect(props.LoggingConfig).toMatchObject({ LogGroup: ref(logicalId(fn.logGroup)) });
        expect(resource(logicalId(fn.logGroup)).Properties.RetentionInDays).toBe(30);
        // function-bundling.ts: source maps cost the cold start more than they give (measured by the bench).
        expect(environmentOf(fn).NODE_OPTIONS).toBeUndefined();
      }
      // Every function but CDK's own BucketDeployment handler (Python, the AWS CLI inside), which
      // uploads the console and whose runtime aws-cdk-lib chooses.
      const providerRuntimes = Object.entries(resources)
        .filter(
          ([id, r]) => r.Type === 'AWS::Lambda::Function' && !id.startsWith('CustomCDKBucketDeployment'),
        )
        .map(([, r]) => r.Properties.Runtime);
      expect(new Set(providerRuntimes)).toEqual(new Set([lambda.Runtime.NODEJS_24_X.name]));
    });

    it('get only the settings their grants need', () => {
      for (const route of ROUTES) {
        const names = Object.keys(environmentOf(routeFunction(route))).sort();
        const grants = route.grants as readonly Grant[];
        const expected: string[] = [];
        if (grants.some((g) => g.startsWith('table:') || /^(account|sites|products):/.test(g)))
          expected.push('LATCHKEY_TABLE_NAME');
        if (grants.includes('table:write')) expected.push('LATCHKEY_AUDIT_RETENTION_DAYS');
        if (grants.includes('pepper:decrypt')) {
          expected.push('LATCHKEY_PEPPERS', 'LATCHKEY_PEPPER_KMS_KEY_ID', 'LATCHKEY_KEY_PROVIDER');
        }
        if (grants.includes('mail:send'))
          expected.push('LATCHKEY_MAIL_FROM', 'LATCHKEY_SES_CONFIGURATION_SET');
        expect(names, route.id).toEqual(expected.sort());
      }
    });

    it('bundle a module that exports handler and loads with only the settings the stack gives it', () => {
      for (const fn of latchkeyFunctions()) {
        const code = resource(logicalId(fn)).Properties.Code as { S3Key: string };
        const assetHash = /^([0-9a-f]{64})\.zip$/.exec(code.S3Key)?.[1];
        expect(assetHash, fn.node.path).toBeDefined();
        const bundle = join(assemblyDir, `asset.${assetHash}`, 'index.mjs');
        expect(existsSync(bundle), bundle).toBe(true);
        const env: Record<string, string> = {
          PATH: process.env.PATH ?? '',
          AWS_REGION: 'eu-west-1',
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          LATCHKEY_TEST_BUNDLE: bundle,
        };
        for (const [name, value] of Object.entries(environmentOf(fn))) env[name] = placeholder(value);
        const run = spawnSync(
          process.execPath,
          [
            '--input-type=module',
            '-e',
            'const m = await import(process.env.LATCHKEY_TEST_BUNDLE); process.stdout.write(typeof m.handler + "\\n");',
          ],
          { env, encoding: 'utf8', timeout: 30_000 },
        );
        // The tail holds the error; the head is a line of minified bundle.
        expect(run.stderr.slice(-1500), fn.handlerFile).toBe('');
        // Only the first line: the authorizer starts its pepper decrypt at load, and with no KMS
        // here that fails (and is counted) on a line of its own, to be retried by the first request.
        expect(run.stdout.split('\n')[0], fn.handlerFile).toBe('function');
      }
      // One node process per function, one after another: on a busy 2-core machine that takes
      // longer than the default 30 s per test.
    }, 180_000);
  });

  describe('APIs', () => {
    it('log access without headers and throttle every stage', () => {
      const stages = Object.values(resources).filter((r) => r.Type === 'AWS::ApiGatewayV2::Stage');
      expect(stages).toHaveLength(2);
      for (const stage of stages) {
        expect(stage.Properties.StageName).toBe('$default');
        expect(stage.Properties.DefaultRouteSettings).toEqual({
          ThrottlingRateLimit: 50,
          ThrottlingBurstLimit: 100,
        });
        const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
        expect(settings.DestinationArn).toBeDefined();
        expect(settings.Format).toContain('$context.routeKey');
        expect(settings.Format.toLowerCase()).not.toContain('header');
      }
    });

    it('outputs what operators, the admin CLI and other stacks need', () => {
      const outputs = Object.keys(template.toJSON().Outputs as Record<string, unknown>);
      for (const name of [
        'ManagementApiUrl',
        'ProtectedApiUrl',
        'UserPoolId',
        'UserPoolClientId',
        'TableName',
        'AuthorizerFunctionArn',
        'PepperKeyArn',
        'TableKeyArn',
        'Peppers',
        'AlarmTopicArn',
        'DashboardName',
        'ConsoleUrl',
      ]) {
        expect(outputs).toContain(name);
      }
    });
  });

  describe('logs, tracing and monitoring', () => {
    const alarmTopicId = () => logicalId(stack.node.findChild('AlarmTopic'));

    it("gives every function JSON logs at application level INFO, with Lambda's own lines at WARN", () => {
      for (const fn of latchkeyFunctions()) {
        expect(resource(logicalId(fn)).Properties.LoggingConfig, fn.node.path).toEqual({
          LogFormat: 'JSON',
          ApplicationLogLevel: 'INFO',
          SystemLogLevel: 'WARN',
          LogGroup: ref(logicalId(fn.logGroup)),
        });
      }
    });

    it('leaves tracing off on the authorizer and on for the management functions', () => {
      const authorizer = stack.service.authorizer.function;
      expect(resource(logicalId(authorizer)).Properties.TracingConfig).toBeUndefined();
      expect(actionsOf(authorizer).some((a) => a.startsWith('xray:'))).toBe(false);
      const management = routeFunction(ROUTES.find((r) => r.api === 'management') as RouteDefinition);
      expect(resource(logicalId(management)).Properties.TracingConfig).toEqual({ Mode: 'Active' });
    });

    it('outputs an alarm topic that only takes TLS publishers', () => {
      expect(resource(alarmTopicId()).Type).toBe('AWS::SNS::Topic');
      expect(template.toJSON().Outputs.AlarmTopicArn.Value).toEqual(ref(alarmTopicId()));
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [ref(alarmTopicId())],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it('alarms on each failure the issue names, notifying the topic on alarm and on recovery', () => {
      const alarms = Object.values(resources).filter((r) => r.Type === 'AWS::CloudWatch::Alarm');
      const byMetric = (namespace: string, metricName: string) =>
        alarms.filter((a) => a.Properties.Namespace === namespace && a.Properties.MetricName === metricName);
      const authorizerDimension = [
        { Name: 'FunctionName', Value: ref(logicalId(stack.service.authorizer.function)) },
      ];
      for (const [namespace, metricName, dimensions, statistic, threshold] of [
        ['AWS/Lambda', 'Errors', authorizerDimension, 'Sum', 1],
        ['AWS/Lambda', 'Throttles', authorizerDimension, 'Sum', 1],
        ['AWS/Lambda', 'Duration', authorizerDimension, 'p99', 500],
        [
          'AWS/ApiGateway',
          '5xx',
          [{ Name: 'ApiId', Value: ref(logicalId(stack.service.managementApi)) }],
          'Sum',
          5,
        ],
        ['AWS/SES', 'Bounce', [{ Name: 'ses:configuration-set', Value: expect.anything() }], 'Sum', 5],
        ['AWS/SES', 'Complaint', [{ Name: 'ses:configuration-set', Value: expect.anything() }], 'Sum', 1],
        ['Latchkey', 'PepperDecryptFailures', undefined, 'Sum', 1],
        ['Latchkey', 'VerificationLocks', undefined, 'Sum', 3],
        ['Latchkey', 'LeakReports', undefined, 'Sum', 5],
      ] as const) {
        const found = byMetric(namespace, metricName);
        expect(found, `${namespace} ${metricName}`).toHaveLength(1);
        const props = found[0]?.Properties ?? {};
        expect(props.Dimensions).toEqual(dimensions);
        expect(props.Statistic ?? props.ExtendedStatistic).toBe(statistic);
        expect(props.Threshold).toBe(threshold);
        expect(props.ComparisonOperator).toBe('GreaterThanOrEqualToThreshold');
      }
      // DynamoDB throttles and system errors: a sum over every operation the functions make.
      const tableMath = alarms.filter((a) =>
        JSON.stringify(a.Properties.Metrics ?? []).includes(logicalId(stack.service.table)),
      );
      const mathMetrics = tableMath.map((a) =>
        (a.Properties.Metrics as { MetricStat?: { Metric: { MetricName: string } } }[])
          .map((m) => m.MetricStat?.Metric.MetricName)
          .filter((name) => name !== undefined),
      );
      expect(mathMetrics.map((names) => [...new Set(names)])).toEqual([
        ['ThrottledRequests'],
        ['SystemErrors'],
      ]);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([ref(alarmTopicId())]);
        expect(alarm.Properties.OKActions).toEqual([ref(alarmTopicId())]);
      }
      expect(alarms).toHaveLength(11);
    });

    it('sends bounces and complaints of the code mails to CloudWatch through the configuration set', () => {
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: ref(logicalId(stack.service.node.findChild('MailConfigurationSet'))),
        EventDestination: {
          Enabled: true,
          MatchingEventTypes: Match.arrayWith(['bounce', 'complaint']),
          CloudWatchDestination: {
            DimensionConfigurations: [
              {
                DimensionName: 'ses:configuration-set',
                DimensionValueSource: 'messageTag',
                DefaultDimensionValue: 'none',
              },
            ],
          },
        },
      });
    });

    it('has a dashboard of verifications by outcome, authorizer p50/p99 and key events', () => {
      const [dashboard, ...others] = Object.values(resources).filter(
        (r) => r.Type === 'AWS::CloudWatch::Dashboard',
      );
      expect(others).toEqual([]);
      const body = JSON.parse(placeholder(dashboard?.Properties.DashboardBody)) as {
        widgets: { properties: { title?: string; metrics?: unknown[] } }[];
      };
      const widget = (title: string) => {
        const found = body.widgets.find((w) => w.properties.title === title);
        expect(found, title).toBeDefined();
        return JSON.stringify(found?.properties.metrics);
      };
      const outcomes = widget('Verifications per minute by outcome');
      expect(outcomes).toContain('invocations - errors - FILL(refused, 0)');
      expect(outcomes).toContain("SEARCH('{Latchkey,Reason} MetricName=\\\"Refusals\\\"', 'Sum', 60)");
      const latency = widget('Authorizer duration (ms)');
      expect(latency).toContain('"stat":"p50"');
      expect(latency).toContain('"stat":"p99"');
      expect(widget('Key events (5 minutes)')).toContain('MetricName=\\"KeyEvents\\"');
      expect(body.widgets.find((w) => w.properties.title === 'Latchkey alarms')).toBeDefined();
    });
  });

  describe('the console', () => {
    const byType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
    const only = (type: string): [string, CfnResource] => {
      const found = byType(type);
      expect(found, type).toHaveLength(1);
      return found[0] as [string, CfnResource];
    };

    it('keeps the page in a private, TLS-only bucket that only the distribution reads, through OAC', () => {
      const [bucketId, bucket] = only('AWS::S3::Bucket');
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const [distributionId] = only('AWS::CloudFront::Distribution');
      const [, policy] = only('AWS::S3::BucketPolicy');
      const statements = (policy.Properties.PolicyDocument as { Statement: Statement[] }).Statement;
      const allows = statements.filter((st) => st.Effect === 'Allow');
      expect(allows).toHaveLength(1);
      expect(allows[0]).toMatchObject({
        Action: 's3:GetObject',
        Principal: { Service: 'cloudfront.amazonaws.com' },
        Resource: { 'Fn::Join': ['', [arnOf(bucketId), '/*']] },
      });
      expect(JSON.stringify(allows[0]?.Condition)).toContain(JSON.stringify(ref(distributionId)));
      expect(statements).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
      const [oacId, oac] = only('AWS::CloudFront::OriginAccessControl');
      expect(oac.Properties.OriginAccessControlConfig).toMatchObject({
        OriginAccessControlOriginType: 's3',
        SigningBehavior: 'always',
        SigningProtocol: 'sigv4',
      });
      template.hasResourceProperties('AWS::CloudFront::Distribution', {
        DistributionConfig: Match.objectLike({
          DefaultRootObject: 'index.html',
          Origins: Match.arrayWith([
            Match.objectLike({
              DomainName: { 'Fn::GetAtt': [bucketId, 'RegionalDomainName'] },
              OriginAccessControlId: { 'Fn::GetAtt': [oacId, 'Id'] },
            }),
          ]),
          DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        }),
      });
    });

    it('forwards /v1/* to the management API uncached, Authorization included, every method allowed', () => {
      const [, distribution] = only('AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as {
        CacheBehaviors: Record<string, unknown>[];
        Origins: { Id: string; DomainName: unknown }[];
      };
      expect(config.CacheBehaviors).toHaveLength(1);
      const api = config.CacheBehaviors[0] ?? {};
      expect(api).toMatchObject({
        PathPattern: '/v1/*',
        AllowedMethods: ['GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'POST', 'DELETE'],
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad', // Managed-CachingDisabled
        OriginRequestPolicyId: 'b689b0a8-53d0-40ab-baf2-68738e2966ac', // Managed-AllViewerExceptHostHeader
        ViewerProtocolPolicy: 'https-only',
      });
      const origin = config.Origins.find((o) => o.Id === api.TargetOriginId);
      expect(JSON.stringify(origin?.DomainName)).toContain(
        JSON.stringify({ 'Fn::GetAtt': [logicalId(stack.service.managementApi), 'ApiEndpoint'] }),
      );
    });

    it('sends a CSP without inline script, HSTS, no framing, nosniff and no referrer, on the page and the API', () => {
      const [policyId, policy] = only('AWS::CloudFront::ResponseHeadersPolicy');
      const headers = (
        policy.Properties.ResponseHeadersPolicyConfig as { SecurityHeadersConfig: Record<string, unknown> }
      ).SecurityHeadersConfig;
      const csp = placeholder(
        (headers.ContentSecurityPolicy as { ContentSecurityPolicy: unknown }).ContentSecurityPolicy,
      );
      const directives = new Map(
        csp.split(';').map((d) => {
          const [name = '', ...values] = d.trim().split(/\s+/);
          return [name, values] as const;
        }),
      );
      expect(directives.get('script-src')).toEqual(["'self'"]);
      expect(directives.get('default-src')).toEqual(["'self'"]);
      expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
      expect(csp).not.toContain('unsafe-inline');
      expect(csp).not.toContain('unsafe-eval');
      expect(
        directives.get('connect-src')?.some((s) => s.includes('.auth.') && s.includes('amazoncognito.com')),
      ).toBe(true);
      expect(headers.StrictTransportSecurity).toMatchObject({
        AccessControlMaxAgeSec: 63072000,
        IncludeSubdomains: true,
      });
      expect(headers.ContentTypeOptions).toEqual({ Override: true });
      expect(headers.FrameOptions).toMatchObject({ FrameOption: 'DENY' });
      expect(headers.ReferrerPolicy).toMatchObject({ ReferrerPolicy: 'no-referrer' });
      const [, distribution] = only('AWS::CloudFront::Distribution');
      const config = distribution.Properties.DistributionConfig as {
        DefaultCacheBehavior: Record<string, unknown>;
        CacheBehaviors: Record<string, unknown>[];
      };
      for (const behaviour of [config.DefaultCacheBehavior, ...config.CacheBehaviors]) {
        expect(behaviour.ResponseHeadersPolicyId).toEqual(ref(policyId));
      }
    });

    it('uploads the build, a runtime config.json naming the issuer and the app client, and the OpenAPI description', () => {
      const deployments = byType('Custom::CDKBucketDeployment').map(([, r]) => r.Properties);
      expect(deployments).toHaveLength(2);
      const entry = deployments.find((d) => Array.isArray(d.DistributionPaths));
      expect(entry?.DistributionPaths).toEqual(['/', '/index.html', '/config.json', '/openapi.json']);
      // index.html, config.json and openapi.json: one source each.
      expect(entry?.SourceObjectKeys).toHaveLength(3);
      expect(entry?.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
      const markers = JSON.stringify(entry?.SourceMarkers);
      expect(markers).toContain(JSON.stringify(ref(logicalId(stack.service.userPoolClient as IConstruct))));
      expect(markers).toContain(JSON.stringify(ref(logicalId(stack.service.userPool as IConstruct))));
      const assets = deployments.find((d) => d.DestinationBucketKeyPrefix === 'assets/');
      expect(assets?.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
    });

    it('lets the app client sign in to the console with the code flow and PKCE: public, no implicit flow', () => {
      const [distributionId] = only('AWS::CloudFront::Distribution');
      const consoleUrl = {
        'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }, '/']],
      };
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email'],
        // The console, and `latchkey login`'s loopback redirect (Cognito matches callbacks exactly).
        CallbackURLs: [consoleUrl, 'http://localhost:51423/callback'],
        LogoutURLs: [consoleUrl],
        SupportedIdentityProviders: ['COGNITO'],
      });
      expect(CLI_REDIRECT_URI).toBe('http://localhost:51423/callback');
      only('AWS::Cognito::UserPoolDomain');
      expect(template.toJSON().Outputs.ConsoleUrl.Value).toEqual(consoleUrl);
    });

    it('names the loopback redirect in the published config.json, where latchkey login finds it', () => {
      const published = readdirSync(assemblyDir)
        .map((entry) => join(assemblyDir, entry, 'config.json'))
        .filter((file) => existsSync(file));
      expect(published).toHaveLength(1);
      const config = JSON.parse(readFileSync(published[0] ?? '', 'utf8')) as Record<string, unknown>;
      expect(config.cliRedirectUri).toBe(CLI_REDIRECT_URI);
      expect(config.localMode).toBe(false);
    });
  });
});

describe('audit log, leak reports and notifications', () => {
  it('runs the expiry reminder job hourly, with the grants its entry lists and nothing more', () => {
    const job = SCHEDULES[0];
    const fn = stack.service.jobFunctions.get(job.id);
    if (fn === undefined) throw new Error('no reminder function');
    const rules = Object.values(resources).filter((r) => r.Type === 'AWS::Events::Rule');
    expect(rules).toHaveLength(1);
    expect(rules[0]?.Properties).toMatchObject({
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [{ Arn: arnOf(logicalId(fn)), RetryPolicy: { MaximumRetryAttempts: 2 } }],
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: arnOf(logicalId(fn)),
      Principal: 'events.amazonaws.com',
    });
    expect(actionsOf(fn)).toEqual(expectedActions(job.grants));
    const read = statementsOf(fn).find((s) => s.Sid === 'TableRead');
    const tableArn = arnOf(logicalId(stack.service.table));
    expect(asList(read?.Resource)).toContainEqual({
      'Fn::Join': ['', [tableArn, `/index/${TABLE_SCHEMA.indexes.byExpiry.name}`]],
    });
  });

  it('gives every writer the audit retention, one year unless configured', () => {
    for (const route of ROUTES.filter((r) => (r.grants as readonly Grant[]).includes('table:write'))) {
      expect(environmentOf(routeFunction(route)).LATCHKEY_AUDIT_RETENTION_DAYS, route.id).toBe('365');
    }
  });

  it('passes the configured reporter keys to the leak route only, and takes retention from context', () => {
    const reporterKeys = JSON.stringify([{ key_identifier: 'k', key: 'PEM', is_current: true }]);
    const app = new App({
      context: {
        fromAddress: 'no-reply@latchkey.example',
        leakReporterKeys: reporterKeys,
        auditRetentionDays: '90',
      },
    });
    const configured = buildLatchkeyApp(app);
    const environment = (id: string) => {
      const fn = configured.service.routeFunctions.get(id);
      if (fn === undefined) throw new Error(`no ${id}`);
      const child = fn.node.defaultChild as CfnElement;
      const props = (Template.fromStack(configured).toJSON() as { Resources: Record<string, CfnResource> })
        .Resources[configured.getLogicalId(child)]?.Properties as {
        Environment: { Variables: Record<string, unknown> };
      };
      return props.Environment.Variables;
    };
    expect(environment('ReportTokenLeak').LATCHKEY_LEAK_REPORTER_KEYS).toBe(reporterKeys);
    expect(environment('CreateApiKey').LATCHKEY_LEAK_REPORTER_KEYS).toBeUndefined();
    expect(environment('CreateApiKey').LATCHKEY_AUDIT_RETENTION_DAYS).toBe('90');
  }, 240_000);
});

function environmentOf(fn: lambda.IFunction): Record<string, unknown> {
  const props = resource(logicalId(fn)).Properties as {
    Environment?: { Variables?: Record<string, unknown> };
  };
  return props.Environment?.Variables ?? {};
}

/** Stands in for values CloudFormation fills in at deploy time (ARNs, names, the pepper ciphertext). */
function placeholder(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && 'Fn::Join' in value) {
    const [separator, parts] = (value as { 'Fn::Join': [string, unknown[]] })['Fn::Join'];
    return parts.map(placeholder).join(separator);
  }
  // Valid base64 as well as a plausible name, so LATCHKEY_PEPPERS parses the way it will in AWS.
  return 'cGxhY2Vob2xkZXJwbGFjZWhvbGRlcg';
}

describe('the local table and the deployed table', () => {
  /** The synthesized table in CreateTable's terms, keeping exactly what a local table can carry. */
  function deployedTableDefinition() {
    const tables = Object.values(resources).filter((r) => r.Type === 'AWS::DynamoDB::Table');
    expect(tables).toHaveLength(1);
    const props = tables[0]?.Properties ?? {};
    return {
      BillingMode: props.BillingMode,
      AttributeDefinitions: props.AttributeDefinitions,
      KeySchema: props.KeySchema,
      GlobalSecondaryIndexes: props.GlobalSecondaryIndexes,
      TimeToLive: props.TimeToLiveSpecification,
      Stream: props.StreamSpecification,
    };
  }

  const sortedBy = <T>(items: readonly T[] | undefined, key: (item: T) => string) =>
    [...(items ?? [])].sort((a, b) => key(a).localeCompare(key(b)));

  it('are built from one definition: keys, index, projection, TTL and stream agree', () => {
    const local = createTableInput('any');
    const ttl = timeToLiveInput('any').TimeToLiveSpecification;
    const deployed = deployedTableDefinition();
    expect(deployed.BillingMode).toBe(local.BillingMode);
    expect(
      sortedBy(deployed.AttributeDefinitions as typeof local.AttributeDefinitions, (a) => a.AttributeName),
    ).toEqual(sortedBy(local.AttributeDefinitions, (a) => a.AttributeName));
    expect(deployed.KeySchema).toEqual(local.KeySchema);
    expect(deployed.GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
    expect(deployed.TimeToLive).toEqual(ttl);
    expect(deployed.Stream).toBeUndefined();
  });

  it('DynamoDB Local holds the table exactly as described, TTL included', async () => {
    const tableName = process.env.LATCHKEY_TABLE_NAME ?? '';
    const client = new DynamoDBClient({});
    try {
      const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
      const { TimeToLiveDescription } = await client.send(
        new DescribeTimeToLiveCommand({ TableName: tableName }),
      );
      const deployed = deployedTableDefinition();
      expect(Table?.KeySchema).toEqual(deployed.KeySchema);
      expect(sortedBy(Table?.AttributeDefinitions, (a) => a.AttributeName ?? '')).toEqual(
        sortedBy(deployed.AttributeDefinitions as { AttributeName: string }[], (a) => a.AttributeName),
      );
      expect(
        Table?.GlobalSecondaryIndexes?.map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: index.Projection,
        })),
      ).toEqual(deployed.GlobalSecondaryIndexes);
      expect(Table?.StreamSpecification?.StreamEnabled ?? false).toBe(deployed.Stream !== undefined);
      expect(TimeToLiveDescription).toEqual({
        TimeToLiveStatus: 'ENABLED',
        AttributeName: (deployed.TimeToLive as { AttributeName: string }).AttributeName,
      });
    } finally {
      client.destroy();
    }
  });
});

describe('the stack with console=false', () => {
  it('hosts no page, and the app client keeps OAuth off', () => {
    // No function bundling: this synth looks only at what the console setting changes.
    const app = new App({
      context: { fromAddress: 'no-reply@latchkey.example', console: 'false', 'aws:cdk:bundling-stacks': [] },
    });
    const plain = Template.fromStack(buildLatchkeyApp(app));
    for (const type of ['AWS::S3::Bucket', 'AWS::CloudFront::Distribution', 'Custom::CDKBucketDeployment']) {
      plain.resourceCountIs(type, 0);
    }
    plain.resourceCountIs('AWS::Cognito::UserPoolDomain', 0);
    plain.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      AllowedOAuthFlowsUserPoolClient: false,
      GenerateSecret: false,
    });
    expect(Object.keys(plain.toJSON().Outputs)).not.toContain('ConsoleUrl');
  }, 120_000);
});
