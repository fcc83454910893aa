import type { ApiKeyRecord } from '../domain/api-keys';
import type { KeyLookup } from '../domain/ports';
import { RECORD_FIELDS } from './api-key-item';
import { writeIfCondition } from './dynamo-errors';
import { dynamoJsonCall } from './dynamo-json-call';
import type { SdkTransport } from './signed-json-request';
import { keyOf } from './table-schema';

/** An attribute value as DynamoDB's JSON protocol writes it (binary values in base64). */
type AttributeValue = {
  readonly S?: string;
  readonly N?: string;
  readonly BOOL?: boolean;
  readonly NULL?: boolean;
  readonly L?: readonly AttributeValue[];
  readonly M?: Readonly<Record<string, AttributeValue>>;
  readonly SS?: readonly string[];
  readonly NS?: readonly string[];
  readonly B?: string;
  readonly BS?: readonly string[];
};

/**
 * The authorizer's view of the key item: one strongly consistent GetItem and the lastUsedAt write,
 * as DynamoDB JSON calls over a signed transport (dynamo-json-call.ts), with no DynamoDB client.
 * The authorizer is the one function whose size and per-call CPU are targets against a bare
 * GetItemCommand handler, so it reads attribute values itself; the fields it returns are the key
 * store's own.
 */
export class DynamoKeyLookup implements KeyLookup {
  constructor(
    private readonly transport: SdkTransport,
    /** `AWS_ENDPOINT_URL_DYNAMODB` when set, else the region's endpoint. */
    private readonly endpoint: string | undefined,
    private readonly tableName: string,
  ) {}

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { pk, sk } = keyOf.apiKey(keyId);
    const { Item } = await dynamoJsonCall(this.transport, this.endpoint, 'GetItem', {
      TableName: this.tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      ConsistentRead: true,
    });
    return Item === undefined ? undefined : recordOf(Item as Record<string, AttributeValue>);
  }

  async recordUse(keyId: string, at: string, staleBefore: string): Promise<boolean> {
    const { pk, sk } = keyOf.apiKey(keyId);
    return writeIfCondition(
      dynamoJsonCall(this.transport, this.endpoint, 'UpdateItem', {
        TableName: this.tableName,
        Key: { pk: { S: pk }, sk: { S: sk } },
        UpdateExpression: 'SET lastUsedAt = :at',
        ConditionExpression:
          'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
        ExpressionAttributeValues: { ':at': { S: at }, ':stale': { S: staleBefore } },
      }),
    );
  }
}

/**
 * The key store's record fields of the item, in one pass over the fields it knows (the same result
 * as `toRecord` over the whole item unmarshalled, without building the intermediate object).
 */
function recordOf(item: Readonly<Record<string, AttributeValue>>): ApiKeyRecord {
  const record: Record<string, unknown> = {};
  for (const field of RECORD_FIELDS) {
    const value = item[field];
    if (value !== undefined) {
      const native = nativeValue(value);
      if (native !== undefined) record[field] = native;
    }
  }
  return record as unknown as ApiKeyRecord;
}

function nativeItem(item: Readonly<Record<string, AttributeValue>>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(item).map(([name, value]) => [name, nativeValue(value)]));
}

/** The same native values the document client's unmarshall gives (numbers as numbers, sets as Sets). */
function nativeValue(value: AttributeValue): unknown {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return Number(value.N);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.L !== undefined) return value.L.map(nativeValue);
  if (value.M !== undefined) return nativeItem(value.M);
  if (value.SS !== undefined) return new Set(value.SS);
  if (value.NS !== undefined) return new Set(value.NS.map(Number));
  if (value.B !== undefined) return Buffer.from(value.B, 'base64');
  if (value.BS !== undefined) return new Set(value.BS.map((b) => Buffer.from(b, 'base64')));
  return undefined;
}
