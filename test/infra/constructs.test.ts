import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import type { LatchkeyBackend } from '../../infra/constructs/access';
import { LatchkeyAuthorizer } from '../../infra/constructs/latchkey-authorizer';
import { LatchkeyService } from '../../infra/constructs/latchkey-service';
import { LatchkeyTable } from '../../infra/constructs/latchkey-table';
import { LatchkeyPepper } from '../../infra/constructs/pepper';
import { servicePropsFromContext } from '../../infra/stack';

/**
 * The reusable constructs as another team's CDK app uses them. Bundling is skipped here (the
 * `aws:cdk:bundling-stacks` context): test/infra/stack.test.ts bundles and loads every function.
 */
const tableArn = 'arn:aws:dynamodb:eu-west-1:111122223333:table/Latchkey-Table';
const tableKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/11111111-1111-1111-1111-111111111111';
const pepperKeyArn = 'arn:aws:kms:eu-west-1:111122223333:key/22222222-2222-2222-2222-222222222222';
const peppersJson = '{"1":"AQIDBAUGBwgJ"}';

function teamStack() {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Team', { env: { account: '111122223333', region: 'eu-west-1' } });
  const tableKey = kms.Key.fromKeyArn(stack, 'TableKey', tableKeyArn);
  const backend: LatchkeyBackend = {
    table: LatchkeyTable.fromTableAttributes(stack, 'LatchkeyTable', {
      table: dynamodb.Table.fromTableAttributes(stack, 'Table', { tableArn, encryptionKey: tableKey }),
      encryptionKey: tableKey,
    }),
    pepper: LatchkeyPepper.fromPepperAttributes(stack, 'LatchkeyPepper', {
      key: kms.Key.fromKeyArn(stack, 'PepperKey', pepperKeyArn),
      peppersJson,
    }),
  };
  const backendFn = new lambda.Function(stack, 'Orders', {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({ statusCode: 200 });'),
  });
  return { stack, backend, backendFn };
}

function environment(template: Template): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Description: Match.stringLikeRegexp('checks an API key') },
  });
  const [only, ...rest] = Object.values(functions) as {
    Properties: { Environment: { Variables: Record<string, unknown> } };
  }[];
  expect(rest).toEqual([]);
  return only?.Properties.Environment.Variables ?? {};
}

describe('LatchkeyAuthorizer on a team API', () => {
  it('guards a team HttpApi route with no cache and tells the function exactly that route', () => {
    const { stack, backend, backendFn } = teamStack();
    const api = new apigwv2.HttpApi(stack, 'OrdersApi');
    const authorizer = new LatchkeyAuthorizer(stack, 'Latchkey', { backend });
    authorizer.protectHttpApi(api, [
      {
        method: 'GET',
        path: '/v1/orders/{orderId}',
        permission: 'stores',
        scope: 'site',
        integration: new HttpLambdaIntegration('Orders', backendFn),
      },
    ]);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'GET /v1/orders/{orderId}',
      AuthorizationType: 'CUSTOM',
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'REQUEST',
      EnableSimpleResponses: true,
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: ['$request.header.Authorization', '$request.header.x-account-id'],
    });
    const variables = environment(template);
    expect(JSON.parse(String(variables.LATCHKEY_PROTECTED_ROUTES))).toEqual([
      { method: 'GET', path: '/v1/orders/{orderId}', permission: 'stores', scope: 'site' },
    ]);
    expect(variables).toMatchObject({
      LATCHKEY_TABLE_NAME: 'Latchkey-Table',
      LATCHKEY_PEPPERS: peppersJson,
      LATCHKEY_PEPPER_KMS_KEY_ID: pepperKeyArn,
      LATCHKEY_KEY_PROVIDER: 'kms',
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Sid: 'ReadKey', Action: 'dynamodb:GetItem', Resource: tableArn }),
          Match.objectLike({ Sid: 'PepperDecrypt', Action: 'kms:Decrypt', Resource: pepperKeyArn }),
        ]),
      },
    });
  });

  it('guards a team RestApi method with a REQUEST authorizer on both headers and no cache', () => {
    const { stack, backend, backendFn } = teamStack();
    const api = new apigateway.RestApi(stack, 'LegacyApi');
    const authorizer = new LatchkeyAuthorizer(stack, 'Latchkey', { backend });
    authorizer.protectRestApi(api, [
      {
        method: 'POST',
        path: '/v1/contacts',
        permission: 'contacts',
        scope: 'site',
        integration: new apigateway.LambdaIntegration(backendFn),
      },
    ]);
    const template = Template.fromStack(stack);

    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      Type: 'REQUEST',
      AuthorizerResultTtlInSeconds: 0,
      IdentitySource: 'method.request.header.Authorization,method.request.header.x-account-id',
    });
    template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      AuthorizationType: 'CUSTOM',
      AuthorizerId: Match.anyValue(),
    });
    expect(JSON.parse(String(environment(template).LATCHKEY_PROTECTED_ROUTES))).toEqual([
      { method: 'POST', path: '/v1/contacts', permission: 'contacts', scope: 'site' },
    ]);
  });

  it('serves an HttpApi and a RestApi from one function that knows the routes of both', () => {
    const { stack, backend, backendFn } = teamStack();
    const authorizer = new LatchkeyAuthorizer(stack, 'Latchkey', { backend });
    authorizer.protectHttpApi(new apigwv2.HttpApi(stack, 'A'), [
      {
        method: 'GET',
        path: '/v1/sites',
        permission: 'sites.list',
        scope: 'account',
        integration: new HttpLambdaIntegration('A', backendFn),
      },
    ]);
    authorizer.protectRestApi(new apigateway.RestApi(stack, 'B'), [
      {
        method: 'GET',
        path: '/v1/bookings',
        permission: 'bookings',
        scope: 'site',
        integration: new apigateway.LambdaIntegration(backendFn),
      },
    ]);
    const template = Template.fromStack(stack);
    expect(JSON.parse(String(environment(template).LATCHKEY_PROTECTED_ROUTES))).toEqual([
      { method: 'GET', path: '/v1/sites', permission: 'sites.list', scope: 'account' },
      { method: 'GET', path: '/v1/bookings', permission: 'bookings', scope: 'site' },
    ]);
  });

  it('puts everything a decision depends on in the cache key when a team opts into caching', () => {
    const { stack, backend, backendFn } = teamStack();
    const authorizer = new LatchkeyAuthorizer(stack, 'Latchkey', {
      backend,
      resultsCacheTtl: Duration.minutes(5),
    });
    authorizer.protectHttpApi(new apigwv2.HttpApi(stack, 'A'), [
      {
        method: 'GET',
        path: '/v1/sites',
        permission: 'sites.list',
        scope: 'account',
        integration: new HttpLambdaIntegration('A', backendFn),
      },
      {
        method: 'POST',
        path: '/v1/bookings',
        permission: 'bookings',
        scope: 'site',
        integration: new HttpLambdaIntegration('A2', backendFn),
      },
    ]);
    authorizer.protectRestApi(new apigateway.RestApi(stack, 'B'), [
      {
        method: 'GET',
        path: '/v1/events',
        permission: 'events',
        scope: 'site',
        integration: new apigateway.LambdaIntegration(backendFn),
      },
    ]);
    const template = Template.fromStack(stack);
    const headers = ['$request.header.Authorization', '$request.header.x-account-id'];
    const routeAndIp = ['$context.routeKey', '$context.identity.sourceIp'];
    // Account-level routes never need the site header; site-level routes key their cache on it.
    const http = template.findResources('AWS::ApiGatewayV2::Authorizer');
    const httpSources = Object.values(http).map((r) => r.Properties.IdentitySource);
    expect(httpSources).toEqual(
      expect.arrayContaining([
        [...headers, ...routeAndIp],
        [...headers, ...routeAndIp, '$request.header.x-site-id'],
      ]),
    );
    expect(httpSources).toHaveLength(2);
    for (const resource of Object.values(http)) {
      expect(resource.Properties.AuthorizerResultTtlInSeconds).toBe(300);
    }
    const [siteAuthorizerId] = Object.entries(http).find(([, r]) =>
      r.Properties.IdentitySource.includes('$request.header.x-site-id'),
    ) ?? [''];
    template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /v1/bookings',
      AuthorizerId: { Ref: siteAuthorizerId },
    });
    template.hasResourceProperties('AWS::ApiGateway::Authorizer', {
      AuthorizerResultTtlInSeconds: 300,
      IdentitySource:
        'method.request.header.Authorization,method.request.header.x-account-id,context.httpMethod,context.resourcePath,context.identity.sourceIp,method.request.header.x-site-id',
    });
  });

  it('refuses, at synth time, a route with an unknown permission or declared twice', () => {
    const { stack, backend, backendFn } = teamStack();
    const authorizer = new LatchkeyAuthorizer(stack, 'Latchkey', { backend });
    const api = new apigwv2.HttpApi(stack, 'A');
    const integration = new HttpLambdaIntegration('A', backendFn);
    expect(() =>
      authorizer.protectHttpApi(api, [
        // @ts-expect-error: not a permission in the catalog
        { method: 'GET', path: '/v1/x', permission: 'orders.read', scope: 'site', integration },
      ]),
    ).toThrow(/unknown permission "orders.read"/);
    authorizer.protectHttpApi(api, [
      { method: 'GET', path: '/v1/y', permission: 'stores', scope: 'site', integration },
    ]);
    expect(() =>
      authorizer.protectHttpApi(api, [
        { method: 'GET', path: '/v1/y', permission: 'stores', scope: 'site', integration },
      ]),
    ).toThrow(/declared twice/);
    expect(authorizer.protectedRoutes).toHaveLength(1);
  });

  it('refuses a cache TTL beyond API Gateway’s one-hour limit', () => {
    const { stack, backend } = teamStack();
    expect(
      () => new LatchkeyAuthorizer(stack, 'Latchkey', { backend, resultsCacheTtl: Duration.hours(2) }),
    ).toThrow(/one hour/);
  });
});

describe('LatchkeyTable grants for a team function', () => {
  it('return the iam.Grant, with the table key through DynamoDB only', () => {
    const { stack, backend, backendFn } = teamStack();
    const grant = backend.table.grantProductRead(backendFn);
    expect(grant.success).toBe(true);
    expect(grant.principalStatements.map((s) => s.sid)).toEqual(['ProductRead', 'TableKeyRead']);
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'ProductRead',
            Action: 'dynamodb:Query',
            Resource: tableArn,
            Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SITE#*'] } },
          }),
          Match.objectLike({
            Sid: 'TableKeyRead',
            Action: ['kms:Decrypt', 'kms:DescribeKey'],
            Resource: tableKeyArn,
            Condition: { StringEquals: { 'kms:ViaService': 'dynamodb.eu-west-1.amazonaws.com' } },
          }),
        ]),
      },
    });
  });

  it('add no key statement for a table with an AWS-owned key', () => {
    const { stack, backendFn } = teamStack();
    const table = LatchkeyTable.fromTableAttributes(stack, 'PlainTable', {
      table: dynamodb.Table.fromTableArn(stack, 'Plain', tableArn),
    });
    const grant = table.grantKeyRead(backendFn).combine(table.grantTableKey(backendFn, true));
    expect(grant.principalStatements.map((s) => s.sid)).toEqual(['ReadKey']);
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy')).flatMap(
      (r) =>
        (r as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } }).Properties
          .PolicyDocument.Statement,
    );
    expect(JSON.stringify(statements)).not.toContain('kms:');
  });
});

describe('LatchkeyPepper', () => {
  it('keeps one custom resource per version and hands every version to the functions', () => {
    const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
    const stack = new Stack(app, 'P');
    const pepper = new LatchkeyPepper(stack, 'Pepper', { versions: [2, 1] });
    const template = Template.fromStack(stack);
    const versions = Object.values(template.findResources('Custom::LatchkeyPepper')).map(
      (r) => (r as { Properties: { Version: string } }).Properties.Version,
    );
    expect(versions.sort()).toEqual(['1', '2']);
    const resolved = JSON.stringify(stack.resolve(pepper.peppersJson));
    expect(resolved).toMatch(/\{\\"1\\":\\".*Ciphertext.*\\",\\"2\\":\\".*Ciphertext/);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it.each([[[]], [[0]], [[1, 1]], [[1.5]]])('refuses versions %j', (versions) => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'P');
    expect(() => new LatchkeyPepper(stack, 'Pepper', { versions })).toThrow();
  });
});

describe('LatchkeyService settings', () => {
  const bundlingOff = () => new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'S');

  it('refuses a from-address that is not an address, naming the setting', () => {
    expect(() => new LatchkeyService(bundlingOff(), 'Latchkey', { fromAddress: 'Latchkey <x@y.z>' })).toThrow(
      /fromAddress/,
    );
  });

  it('uses any OIDC issuer instead of Cognito, and allows the given CORS origins', () => {
    const stack = bundlingOff();
    const service = new LatchkeyService(stack, 'Latchkey', {
      fromAddress: 'keys@example.com',
      oidc: { issuer: 'https://login.example.com/', audience: ['latchkey-console'] },
      corsAllowOrigins: ['https://console.example.com'],
      sampleProtectedApi: false,
    });
    const template = Template.fromStack(stack);
    expect(service.userPool).toBeUndefined();
    template.resourceCountIs('AWS::Cognito::UserPool', 0);
    template.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      AuthorizerType: 'JWT',
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['latchkey-console'] },
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://console.example.com'] }),
    });
    expect(service.protectedApi).toBeUndefined();
    // Without the sample API the authorizer still exists, for teams to attach to their own APIs.
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('checks an API key'),
    });
  });

  it('sends as an already verified domain identity without creating one', () => {
    const stack = bundlingOff();
    new LatchkeyService(stack, 'Latchkey', { fromAddress: 'keys@example.com', sesIdentity: 'example.com' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SES::EmailIdentity', 0);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ses:SendEmail',
            Resource: Match.arrayWith([
              Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([':identity/example.com'])] }),
            ]),
          }),
        ]),
      },
    });
  });
});

describe('servicePropsFromContext', () => {
  it('reads -c values (strings) into typed settings', () => {
    const app = new App({
      context: {
        fromAddress: 'keys@example.com',
        oidcIssuer: 'https://login.example.com/',
        oidcAudience: 'a, b',
        corsAllowOrigins: 'https://one.example,https://two.example',
        pepperVersions: '1,2',
        authorizerCacheTtlSeconds: '30',
        throttleRateLimit: '20',
        logRetentionDays: '90',
        sampleProtectedApi: 'false',
      },
    });
    const props = servicePropsFromContext(app);
    expect(props).toMatchObject({
      fromAddress: 'keys@example.com',
      oidc: { issuer: 'https://login.example.com/', audience: ['a', 'b'] },
      corsAllowOrigins: ['https://one.example', 'https://two.example'],
      pepperVersions: [1, 2],
      throttleRateLimit: 20,
      logRetention: 90,
      sampleProtectedApi: false,
    });
    expect(props.authorizerCacheTtl?.toSeconds()).toBe(30);
  });

  it('names the missing or malformed setting', () => {
    expect(() => servicePropsFromContext(new App())).toThrow(/fromAddress/);
    expect(() =>
      servicePropsFromContext(new App({ context: { fromAddress: 'a@b.co', oidcIssuer: 'https://x/' } })),
    ).toThrow(/oidcAudience/);
    expect(() =>
      servicePropsFromContext(new App({ context: { fromAddress: 'a@b.co', logRetentionDays: '45' } })),
    ).toThrow(/logRetentionDays/);
  });
});
