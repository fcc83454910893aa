import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SdkTransport } from '../../shared/adapters/signed-json-request';

/**
 * A small model of how IAM judges a DynamoDB request under fine-grained access control: the action,
 * the table or index, `dynamodb:LeadingKeys` (the partition key values the request reaches),
 * `dynamodb:Attributes` (every attribute name it names: key, item, projection, expressions) and
 * `dynamodb:Select` / `dynamodb:ReturnValues`. DynamoDB Local evaluates no IAM at all, so the tests
 * record the requests the sample API really sends and judge them with this against the synthesized
 * policy. Any condition operator it does not know makes a statement not apply (fail closed).
 */
export interface PolicyStatement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, unknown>>;
}

export interface DynamoRequest {
  /** e.g. `dynamodb:GetItem`. */
  readonly action: string;
  readonly indexName?: string;
  readonly leadingKeys: readonly string[];
  readonly attributes: readonly string[];
  readonly select?: string;
  readonly returnValues?: string;
}

type AttributeMap = Record<string, Record<string, unknown>>;
/** A DynamoDB request's JSON body, as much of it as IAM looks at. */
export interface RequestBody {
  IndexName?: string;
  Key?: AttributeMap;
  Item?: AttributeMap;
  KeyConditionExpression?: string;
  ProjectionExpression?: string;
  UpdateExpression?: string;
  ConditionExpression?: string;
  FilterExpression?: string;
  ExpressionAttributeNames?: Record<string, string>;
  ExpressionAttributeValues?: AttributeMap;
  Select?: string;
  ReturnValues?: string;
}

const WORDS = new Set(
  'AND OR NOT SET ADD REMOVE DELETE BETWEEN IN attribute_exists attribute_not_exists attribute_type begins_with contains size if_not_exists list_append'.split(
    ' ',
  ),
);

/** The names an expression refers to, with `#aliases` resolved and `:values` left out. */
function namesIn(expression: string | undefined, aliases: Record<string, string> = {}): string[] {
  return [...(expression ?? '').matchAll(/[#:]?[A-Za-z_][A-Za-z0-9_]*/g)]
    .map(([token]) => token)
    .filter((token) => !token.startsWith(':') && !WORDS.has(token))
    .map((token) => (token.startsWith('#') ? (aliases[token] ?? token) : token));
}

/** What IAM sees of one request, given the partition key names of the table and its indexes. */
export function describeRequest(
  operation: string,
  body: RequestBody,
  partitionKeyOf: (indexName: string | undefined) => string,
): DynamoRequest {
  const aliases = body.ExpressionAttributeNames ?? {};
  const partitionKey = partitionKeyOf(body.IndexName);
  const leadingKeys: string[] = [];
  const itemKey = body.Key ?? body.Item;
  const keyValue = itemKey?.[partitionKey]?.S;
  if (typeof keyValue === 'string') leadingKeys.push(keyValue);
  if (body.KeyConditionExpression !== undefined) {
    for (const [, name = '', placeholder = ''] of body.KeyConditionExpression.matchAll(
      /([#\w]+)\s*=\s*(:\w+)/g,
    )) {
      const value = body.ExpressionAttributeValues?.[placeholder]?.S;
      if ((aliases[name] ?? name) === partitionKey && typeof value === 'string') leadingKeys.push(value);
    }
  }
  const attributes = new Set([
    ...Object.keys(itemKey ?? {}),
    ...Object.values(aliases),
    ...[
      body.KeyConditionExpression,
      body.ProjectionExpression,
      body.UpdateExpression,
      body.ConditionExpression,
    ]
      .concat(body.FilterExpression)
      .flatMap((expression) => namesIn(expression, aliases)),
  ]);
  const reads = ['GetItem', 'Query', 'Scan', 'BatchGetItem'].includes(operation);
  const select =
    body.Select ??
    (reads
      ? body.ProjectionExpression === undefined
        ? 'ALL_ATTRIBUTES'
        : 'SPECIFIC_ATTRIBUTES'
      : undefined);
  return {
    action: `dynamodb:${operation}`,
    ...(body.IndexName === undefined ? {} : { indexName: body.IndexName }),
    leadingKeys,
    attributes: [...attributes],
    ...(select === undefined ? {} : { select }),
    ...(body.ReturnValues === undefined ? {} : { returnValues: body.ReturnValues }),
  };
}

const glob = (pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);

function conditionHolds(operator: string, key: string, allowed: unknown, request: DynamoRequest): boolean {
  const values = (Array.isArray(allowed) ? allowed : [allowed]).map(String);
  const context: Record<string, readonly string[] | string | undefined> = {
    'dynamodb:LeadingKeys': request.leadingKeys,
    'dynamodb:Attributes': request.attributes,
    'dynamodb:Select': request.select,
    'dynamodb:ReturnValues': request.returnValues,
  };
  const actual = context[key];
  switch (operator) {
    case 'ForAllValues:StringLike':
      return Array.isArray(actual) && actual.every((v) => values.some((p) => glob(p).test(v)));
    case 'ForAllValues:StringEquals':
      return Array.isArray(actual) && actual.every((v) => values.includes(v));
    case 'StringEqualsIfExists':
      return actual === undefined || (typeof actual === 'string' && values.includes(actual));
    default:
      return false;
  }
}

/**
 * Whether one of the statements allows the request. `resourceOf` turns the request into the
 * statement's resource form (the template's reference to the table or to one index).
 */
export function isAllowed(
  statements: readonly PolicyStatement[],
  request: DynamoRequest,
  resourceOf: (indexName: string | undefined) => unknown,
): boolean {
  const resource = JSON.stringify(resourceOf(request.indexName));
  return statements.some((statement) => {
    if (statement.Effect !== 'Allow') return false;
    const actions = Array.isArray(statement.Action) ? statement.Action : [statement.Action];
    if (!actions.includes(request.action)) return false;
    const resources = Array.isArray(statement.Resource) ? statement.Resource : [statement.Resource];
    if (!resources.some((r) => JSON.stringify(r) === resource)) return false;
    return Object.entries(statement.Condition ?? {}).every(([operator, keys]) =>
      Object.entries(keys).every(([key, allowed]) => conditionHolds(operator, key, allowed, request)),
    );
  });
}

export interface RecordedRequest {
  readonly operation: string;
  readonly body: RequestBody;
}

/**
 * Calls `onRequest` with each DynamoDB request a signed-call transport sends (the authorizer's: it
 * has no SDK client), as it goes on the wire and before it is sent, so a throw fails that request;
 * KMS calls over the same transport pass untouched. Returns the function that stops it.
 */
export function tapTransport(
  transport: SdkTransport,
  onRequest: (request: RecordedRequest) => void,
): () => void {
  const handler = transport.requestHandler;
  Object.assign(transport, {
    requestHandler: {
      handle: (request: Parameters<typeof handler.handle>[0]) => {
        const target = request.headers['x-amz-target'] ?? '';
        if (target.startsWith('DynamoDB_20120810.') && typeof request.body === 'string') {
          onRequest({
            operation: target.slice('DynamoDB_20120810.'.length),
            body: JSON.parse(request.body) as RequestBody,
          });
        }
        return handler.handle(request);
      },
    },
  });
  return () => Object.assign(transport, { requestHandler: handler });
}

/** Records every DynamoDB request a signed-call transport sends, until `stop()`. */
export function recordTransportRequests(transport: SdkTransport): {
  requests: RecordedRequest[];
  stop: () => void;
} {
  const requests: RecordedRequest[] = [];
  return { requests, stop: tapTransport(transport, (request) => requests.push(request)) };
}

/** Records every request the client sends, as it goes on the wire, until `stop()`. */
export function recordRequests(client: DynamoDBClient): { requests: RecordedRequest[]; stop: () => void } {
  const requests: RecordedRequest[] = [];
  const name = `record-requests-${Math.random().toString(36).slice(2)}`;
  client.middlewareStack.add(
    (next) => async (args) => {
      const request = args.request as { headers?: Record<string, string>; body?: unknown };
      const target = request.headers?.['x-amz-target'] ?? '';
      // The JSON protocol serializes the body as bytes; older SDKs as a string.
      const text =
        typeof request.body === 'string'
          ? request.body
          : request.body instanceof Uint8Array
            ? new TextDecoder().decode(request.body)
            : undefined;
      if (text !== undefined) {
        requests.push({ operation: target.split('.')[1] ?? target, body: JSON.parse(text) as RequestBody });
      }
      return next(args);
    },
    { step: 'build', name },
  );
  return { requests, stop: () => client.middlewareStack.remove(name) };
}
