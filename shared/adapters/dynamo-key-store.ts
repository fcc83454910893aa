import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, PageRequest, StoredPage } from '../domain/api-keys';
import type { AuditEvent } from '../domain/audit-events';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { KeyStore } from '../domain/ports';
import { toRecord } from './api-key-item';
import { auditEventItem } from './dynamo-audit-log';
import { writeIfCondition } from './dynamo-errors';
import {
  deleteKeyWrite,
  endGraceWrite,
  KeyChangeWriter,
  newKeyWrite,
  replaceKeyWrite,
} from './dynamo-key-changes';
import { keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount } = TABLE_SCHEMA.indexes;

export class DynamoKeyStore implements KeyStore {
  private readonly changes: KeyChangeWriter;

  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {
    this.changes = new KeyChangeWriter(client, tableName);
  }

  async get(keyId: string): Promise<ApiKeyRecord | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf.apiKey(keyId), ConsistentRead: true }),
    );
    return Item === undefined ? undefined : toRecord(Item);
  }

  async create(record: ApiKeyRecord, event?: AuditEvent): Promise<void> {
    await this.changes.write(
      newKeyWrite(this.tableName, record),
      event,
      () => new ConflictError('An API key with that id already exists'),
    );
  }

  async replace(record: ApiKeyRecord, expectedVersion: number, event?: AuditEvent): Promise<void> {
    await this.changes.write(replaceKeyWrite(this.tableName, record, expectedVersion), event, () =>
      this.explainLostCondition(record.keyId, record.accountId),
    );
  }

  async delete(accountId: string, keyId: string, expectedVersion: number, event?: AuditEvent): Promise<void> {
    await this.changes.write(deleteKeyWrite(this.tableName, accountId, keyId, expectedVersion), event, () =>
      this.explainLostCondition(keyId, accountId),
    );
  }

  async deleteIfTokenMatches(record: ApiKeyRecord, event: AuditEvent): Promise<boolean> {
    return writeIfCondition(
      this.client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Delete: {
                TableName: this.tableName,
                Key: keyOf.apiKey(record.keyId),
                ConditionExpression: 'attribute_exists(pk) AND tokenHash = :tokenHash',
                ExpressionAttributeValues: { ':tokenHash': record.tokenHash },
              },
            },
            { Put: { TableName: this.tableName, Item: auditEventItem(event) } },
          ],
        }),
      ),
    );
  }

  async revokePreviousToken(record: ApiKeyRecord, event: AuditEvent, by: string): Promise<boolean> {
    if (record.previousToken === undefined) return false;
    // A lost condition is an answer here (the token is already dead), not a conflict to report.
    const gone = new ConflictError('The previous token was replaced or its grace period ended');
    try {
      await this.changes.write(
        endGraceWrite(this.tableName, record.keyId, record.previousToken, {
          at: event.occurredAt,
          by,
        }),
        event,
        () => gone,
      );
      return true;
    } catch (error) {
      if (error === gone) return false;
      throw error;
    }
  }

  async listByAccount(accountId: string, options: PageRequest): Promise<StoredPage<ApiKeyRecord>> {
    const pk = keyOf.account(accountId).pk;
    const startKeyId = options.after;
    const result = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        IndexName: byAccount.name,
        KeyConditionExpression: '#gpk = :gpk AND begins_with(#gsk, :prefix)',
        ExpressionAttributeNames: { '#gpk': byAccount.partitionKey, '#gsk': byAccount.sortKey },
        ExpressionAttributeValues: { ':gpk': pk, ':prefix': 'KEY#' },
        ScanIndexForward: false,
        Limit: options.limit,
        // Only the key id comes from the (signed) cursor; the rest of the start key is rebuilt from
        // the caller's own account, so even a valid cursor can never page through another account.
        ExclusiveStartKey:
          startKeyId === undefined
            ? undefined
            : {
                ...keyOf.apiKey(startKeyId),
                [byAccount.partitionKey]: pk,
                [byAccount.sortKey]: `KEY#${startKeyId}`,
              },
      }),
    );
    const items = await this.withLastUsed((result.Items ?? []).map(toRecord));
    const last = items.at(-1);
    return { items, resumeAfter: result.LastEvaluatedKey !== undefined ? last?.keyId : undefined };
  }

  /**
   * The index leaves `lastUsedAt` out (so the authorizer's write costs one unit), so a page reads it
   * from the key items themselves: one BatchGetItem of at most a page of small projections.
   */
  private async withLastUsed(records: ApiKeyRecord[]): Promise<ApiKeyRecord[]> {
    const lastUsed = new Map<string, string>();
    let pending: Record<string, unknown>[] = records.map((record) => keyOf.apiKey(record.keyId));
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 25 * 2 ** Math.min(attempt, 6)));
      const { Responses, UnprocessedKeys } = await this.client.send(
        new BatchGetCommand({
          RequestItems: {
            [this.tableName]: { Keys: pending, ProjectionExpression: 'keyId, lastUsedAt' },
          },
        }),
      );
      for (const item of Responses?.[this.tableName] ?? []) {
        if (typeof item.keyId === 'string' && typeof item.lastUsedAt === 'string') {
          lastUsed.set(item.keyId, item.lastUsedAt);
        }
      }
      pending = UnprocessedKeys?.[this.tableName]?.Keys ?? [];
      if (attempt >= 8 && pending.length > 0) throw new Error('DynamoDB left keys unprocessed after retries');
    }
    return records.map((record) => {
      const at = lastUsed.get(record.keyId);
      return at === undefined ? record : { ...record, lastUsedAt: at };
    });
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

  /** A lost condition means the key is gone or in another account (404) or was changed (409). */
  private async explainLostCondition(keyId: string, accountId: string): Promise<Error> {
    const current = await this.get(keyId);
    if (current === undefined || current.accountId !== accountId)
      return new NotFoundError('API key not found');
    return new ConflictError(
      'The API key was changed by another request; fetch it and try again',
      'version_conflict',
    );
  }
}
