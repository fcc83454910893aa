import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord } from '../domain/api-keys';
import type { KeyStore } from '../domain/ports';
import { writeIfCondition } from './dynamo-errors';
import { toRecord } from './key-record-fields';
import { keyOf } from './table-schema';

/**
 * The two key-store calls the authorizer makes, and nothing else: its bundle is a size target (at
 * most 1.10 x a bare GetItem handler), and the full store's writes, transactions and audit events
 * would sit in it unused. Same reads and writes as DynamoKeyStore's `get` and `recordUse`.
 */
export class DynamoKeyReader implements Pick<KeyStore, 'get' | 'recordUse'> {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf.apiKey(keyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toRecord(Item);
  }

  async recordUse(keyId: string, at: string, staleBefore: string): Promise<boolean> {
    return writeIfCondition(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.apiKey(keyId),
          UpdateExpression: 'SET lastUsedAt = :at',
          ConditionExpression:
            'attribute_exists(pk) AND (attribute_not_exists(lastUsedAt) OR lastUsedAt < :stale)',
          ExpressionAttributeValues: { ':at': at, ':stale': staleBefore },
        }),
      ),
    );
  }
}
