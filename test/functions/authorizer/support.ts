import type {
  APIGatewayRequestAuthorizerEvent,
  APIGatewayRequestAuthorizerEventV2,
  APIGatewayTokenAuthorizerEvent,
} from 'aws-lambda';
import type { Account } from '../../../shared/domain/accounts';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import { type IssuedKey, type LimitField, mintKey, reissueToken } from '../../../shared/domain/key-records';
import type { PermissionGrant } from '../../../shared/domain/permissions';
import { generateToken } from '../../../shared/domain/token';
import { pepperVault } from '../../../shared/wiring/pepper';
import { keyStore } from '../../../shared/wiring/stores';
import { transport } from '../../../shared/wiring/transport';
import { tapTransport } from '../../support/dynamodb-iam';
import { rememberSecret } from '../../support/log-capture';

export const STAGE_ARN = 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/prod';

/** A well-formed token for `keyId` that no key was issued with (a forgery), remembered for the log check. */
export function forgedToken(keyId: string): string {
  const token = generateToken(keyId);
  rememberSecret(token);
  return token;
}

export type { IssuedKey };

/** Creates a real key in this file's table with the factory the lifecycle uses. */
export async function issueKey(
  account: Account,
  options: {
    permissions?: readonly PermissionGrant[];
    lastUsedAt?: string;
    /** Key limits, in the record's form. */
    limits?: Pick<ApiKeyRecord, LimitField>;
  } = {},
): Promise<IssuedKey> {
  const issued = await mintKey(pepperVault(), {
    account,
    fields: {
      name: 'Test key',
      description: '',
      permissions: options.permissions ?? ['sites.list', 'stores'],
      ...options.limits,
    },
    by: 'user-test',
    now: new Date(),
  });
  rememberSecret(issued.token);
  // lastUsedAt is the authorizer's to write; a fixture sets it for a key used a moment ago.
  const record =
    options.lastUsedAt === undefined ? issued.record : { ...issued.record, lastUsedAt: options.lastUsedAt };
  await keyStore().create(record);
  return { record, token: issued.token };
}

/** Rotation as the lifecycle performs it, with no grace period: the old token dies at once. */
export async function rotateKey(key: IssuedKey): Promise<IssuedKey> {
  const rotated = await reissueToken(pepperVault(), key.record, { by: 'user-test', now: new Date() });
  rememberSecret(rotated.token);
  await keyStore().replace(rotated.record, key.record.version);
  return rotated;
}

export interface CallerHeaders {
  readonly authorization?: string | undefined;
  readonly accountId?: string | undefined;
  readonly siteId?: string | undefined;
  /** The caller's address as API Gateway reports it. */
  readonly sourceIp?: string | undefined;
}

function headersOf(caller: CallerHeaders, names: { authorization: string; account: string; site: string }) {
  const headers: Record<string, string> = {};
  if (caller.authorization !== undefined) headers[names.authorization] = caller.authorization;
  if (caller.accountId !== undefined) headers[names.account] = caller.accountId;
  if (caller.siteId !== undefined) headers[names.site] = caller.siteId;
  return headers;
}

/** The HTTP API payload 2.0 REQUEST event API Gateway sends a Lambda authorizer. */
export function httpApiEvent(routeKey: string, caller: CallerHeaders): APIGatewayRequestAuthorizerEventV2 {
  const [method = 'GET', path = '/'] = routeKey.split(' ');
  const headers = headersOf(caller, {
    authorization: 'authorization',
    account: 'x-account-id',
    site: 'x-site-id',
  });
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: `${STAGE_ARN.replace('/prod', '/$default')}/${method}${path}`,
    identitySource: [caller.authorization ?? '', caller.accountId ?? ''],
    routeKey,
    rawPath: path,
    rawQueryString: '',
    cookies: [],
    headers,
    requestContext: {
      accountId: '123456789012',
      apiId: 'abc123defg',
      domainName: 'abc123defg.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'abc123defg',
      http: {
        method,
        path,
        protocol: 'HTTP/1.1',
        sourceIp: caller.sourceIp ?? '192.0.2.1',
        userAgent: 'test',
      },
      requestId: `req-${Math.random().toString(36).slice(2)}`,
      routeKey,
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
  };
}

/** A REST API REQUEST authorizer event; REST keeps header names as the caller sent them. */
export function restRequestEvent(
  method: string,
  resource: string,
  caller: CallerHeaders,
  path: string = resource,
): APIGatewayRequestAuthorizerEvent {
  const headers = headersOf(caller, {
    authorization: 'Authorization',
    account: 'X-Account-Id',
    site: 'X-Site-Id',
  });
  return {
    type: 'REQUEST',
    methodArn: `${STAGE_ARN}/${method}${path}`,
    resource,
    path,
    httpMethod: method,
    headers,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
    pathParameters: null,
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      identity: { sourceIp: caller.sourceIp ?? '192.0.2.1' },
    } as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

export function restTokenEvent(method: string, path: string, token: string): APIGatewayTokenAuthorizerEvent {
  return { type: 'TOKEN', methodArn: `${STAGE_ARN}/${method}${path}`, authorizationToken: token };
}

/**
 * Watches the authorizer's DynamoDB calls as they go on the wire (the operation named by each
 * signed request's `x-amz-target`), and injects a failure into chosen ones. The authorizer has no
 * SDK client: its calls go over the process's signed-call transport, whose HTTP handler this taps.
 */
export function watchDynamo() {
  const calls: string[] = [];
  let failing: ((operation: string) => boolean) | undefined;
  tapTransport(transport(), ({ operation }) => {
    calls.push(operation);
    if (failing?.(operation) === true) {
      throw Object.assign(new Error('Injected DynamoDB fault: connection reset'), { name: 'TimeoutError' });
    }
  });
  return {
    calls,
    reset: () => {
      calls.length = 0;
      failing = undefined;
    },
    fail: (which: (operation: string) => boolean) => {
      failing = which;
    },
  };
}
