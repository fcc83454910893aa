import { Match } from 'aws-cdk-lib/assertions';
import type { APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import type { IConstruct } from 'constructs';
import { describe, expect, it } from 'vitest';
import { handler as authorize } from '../../functions/authorizer/authorize';
import { handler as addSite } from '../../functions/protected/add-site';
import { handler as createProduct } from '../../functions/protected/create-product';
import { handler as listProducts } from '../../functions/protected/list-products';
import { handler as listSites } from '../../functions/protected/list-sites';
import { dynamoClient } from '../../shared/adapters/dynamo-client';
import { ACCOUNT_FIELDS, keyOf, TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import type { PermissionGrant } from '../../shared/domain/permissions';
import type { RouteId } from '../../shared/routes';
import { transport } from '../../shared/wiring/transport';
import { httpApiEvent, issueKey } from '../functions/authorizer/support';
import { seedAccount } from '../support/accounts';
import {
  type DynamoRequest,
  describeRequest,
  isAllowed,
  type PolicyStatement,
  type RecordedRequest,
  type RequestBody,
  recordRequests,
  recordTransportRequests,
} from '../support/dynamodb-iam';
import { type Invokable, invoke, managementEvent } from '../support/events';
import { partitionKeyOf, synthesizePolicies } from '../support/synthesized-policies';

/**
 * Least privilege for the sample protected API, asserted on the synthesized policies. DynamoDB Local
 * does not evaluate IAM, so these assertions (not the sample API's HTTP tests) are the proof that
 * each function reaches only its own partitions (`dynamodb:LeadingKeys`) and only the attributes it
 * works with (`dynamodb:Attributes`). Bundling is skipped: IAM does not depend on it.
 */
type Statement = PolicyStatement;

const {
  stack,
  template,
  logicalId,
  statementsOf,
  tableStatementsOf: tableStatements,
  tableResource,
} = synthesizePolicies();

const tableArn = tableResource();
const byAccountIndexArn = tableResource(TABLE_SCHEMA.indexes.byAccount.name);
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
        // The account's key ids from the account index, and nothing of a key but its key attributes.
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
    template.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: logicalId(stack.service.authorizer.function.role as IConstruct) }],
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

/** Runs a sample route as API Gateway would, recording the DynamoDB requests each function sends. */
async function run(
  route: Invokable,
  routeKey: string,
  options: { siteId?: string; body?: unknown; permissions?: readonly PermissionGrant[] },
) {
  const { account } = await seedAccount();
  const key = await issueKey(
    account,
    options.permissions === undefined ? {} : { permissions: options.permissions },
  );
  // Another key of the account, so adding a site has a key to copy the site ids onto.
  await issueKey(account, { permissions: ['sites.list'] });
  const siteId = options.siteId === undefined ? undefined : account.sites[0]?.siteId;
  const authorizerRecording = recordTransportRequests(transport());
  const decision = (await authorize(
    httpApiEvent(routeKey, { authorization: key.token, accountId: account.accountId, siteId }),
  ).finally(authorizerRecording.stop)) as APIGatewaySimpleAuthorizerWithContextResult<Record<string, string>>;
  expect(decision.isAuthorized, routeKey).toBe(true);
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const event = managementEvent({ method, path, routeKey, body: options.body });
  event.requestContext.authorizer = { lambda: decision.context };
  const routeRecording = recordRequests(dynamoClient());
  const response = await invoke(route, event).finally(routeRecording.stop);
  expect(response.statusCode, JSON.stringify(response.json)).toBeLessThan(300);
  return { authorizer: authorizerRecording.requests, route: routeRecording.requests, account };
}

const judged = (requests: readonly RecordedRequest[]) =>
  requests.map(({ operation, body }) => describeRequest(operation, body, partitionKeyOf));
const allowedFor = (statements: readonly PolicyStatement[]) => (request: DynamoRequest) =>
  isAllowed(statements, request, tableResource);

describe('the requests the sample API sends (recorded against DynamoDB Local, judged against its policy)', () => {
  it.each([
    ['ListSites', listSites, 'GET /v1/sites', { permissions: ['sites.list'] }, ['GetItem']],
    [
      'AddSite',
      addSite,
      'POST /v1/sites',
      { permissions: ['accounts.manage'], body: { siteId: 'site-new', name: 'New store' } },
      ['GetItem', 'UpdateItem', 'Query', 'UpdateItem', 'UpdateItem'],
    ],
    ['ListProducts', listProducts, 'GET /v1/stores/products', { siteId: 'first' }, ['Query']],
    [
      'CreateProduct',
      createProduct,
      'POST /v1/stores/products',
      { siteId: 'first', body: { name: 'Mug', priceCents: 100, currency: 'EUR' } },
      ['PutItem'],
    ],
  ] as const)(
    '%s: every request is one its role allows',
    async (routeId, route, routeKey, options, operations) => {
      const recorded = await run(route, routeKey, options);
      expect(recorded.route.map((r) => r.operation)).toEqual(operations);
      const allowed = allowedFor(tableStatements(routeId as RouteId));
      for (const request of judged(recorded.route))
        expect(allowed(request), JSON.stringify(request)).toBe(true);
      // The authorizer in front of it too: one GetItem of the key item, by its own role.
      const authorizer = allowedFor(statementsOf(stack.service.authorizer.function));
      expect(recorded.authorizer.map((r) => r.operation)).toContain('GetItem');
      for (const request of judged(recorded.authorizer))
        expect(authorizer(request), JSON.stringify(request)).toBe(true);
    },
  );
});

describe('what the sample API’s roles refuse', () => {
  const request = (operation: string, body: RequestBody) => describeRequest(operation, body, partitionKeyOf);
  const account = keyOf.account('acct');
  const key = keyOf.apiKey('key1');
  const s = (value: string) => ({ S: value });

  it.each([
    ['ListSites', 'a key item', request('GetItem', { Key: { pk: s(key.pk), sk: s(key.sk) } })],
    ['ListSites', 'a member item', request('GetItem', { Key: { pk: s('USER#u1'), sk: s('MEMBERSHIP') } })],
    [
      'ListSites',
      'every attribute of the account partition',
      request('GetItem', { Key: { pk: s(account.pk), sk: s('VERIFICATION#v1') } }),
    ],
    [
      'ListSites',
      'a verification code’s hash',
      request('GetItem', {
        Key: { pk: s(account.pk), sk: s('VERIFICATION#v1') },
        ProjectionExpression: 'codeHash',
      }),
    ],
    [
      'AddSite',
      'a key’s token hash',
      request('Query', {
        IndexName: TABLE_SCHEMA.indexes.byAccount.name,
        KeyConditionExpression: 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': s(account.pk) },
      }),
    ],
    [
      'AddSite',
      'a key’s permissions',
      request('UpdateItem', {
        Key: { pk: s(key.pk), sk: s(key.sk) },
        UpdateExpression: 'SET permissions = :p',
        ExpressionAttributeValues: { ':p': s('accounts.manage') },
      }),
    ],
    [
      'AddSite',
      'a key moved to another account',
      request('UpdateItem', {
        Key: { pk: s(key.pk), sk: s(key.sk) },
        UpdateExpression: 'SET accountId = :a',
        ExpressionAttributeValues: { ':a': s('other') },
      }),
    ],
    [
      'AddSite',
      'a verification code’s attempts',
      request('UpdateItem', {
        Key: { pk: s(account.pk), sk: s('VERIFICATION#v1') },
        UpdateExpression: 'SET attempts = :z',
        ExpressionAttributeValues: { ':z': { N: '0' } },
      }),
    ],
    ['AddSite', 'a key deleted', request('DeleteItem', { Key: { pk: s(key.pk), sk: s(key.sk) } })],
    [
      'ListProducts',
      'the account item',
      request('Query', {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': s(account.pk) },
      }),
    ],
    [
      'CreateProduct',
      'a key item',
      request('PutItem', { Item: { pk: s(key.pk), sk: s(key.sk), tokenHash: s('x') } }),
    ],
    [
      'CreateProduct',
      'a verification item',
      request('PutItem', { Item: { pk: s(account.pk), sk: s('VERIFICATION#v1') } }),
    ],
    [
      'CreateProduct',
      'a member item',
      request('PutItem', { Item: { pk: s('USER#u1'), sk: s('MEMBERSHIP') } }),
    ],
    [
      'CreateProduct',
      'reading products',
      request('Query', {
        KeyConditionExpression: 'pk = :p',
        ExpressionAttributeValues: { ':p': s('SITE#acct#s1') },
      }),
    ],
  ] as const)('%s may not touch %s', (routeId, _what, denied) => {
    expect(allowedFor(tableStatements(routeId))(denied)).toBe(false);
  });
});
