import {
  BatchGetCommand,
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, PageRequest, StoredPage } from '../domain/api-keys';
import type { AuditEvent } from '../domain/audit-events';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { KeyStore } from '../domain/ports';
import { CHANGEABLE_FIELDS, RECORD_FIELDS, toRecord } from './api-key-item';
import { auditEventItem } from './dynamo-audit-log';
import { writeIfCondition, writeOrFail } from './dynamo-errors';
import { expiryIndexKeys, keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount, byExpiry } = TABLE_SCHEMA.indexes;

export class DynamoKeyStore implements KeyStore {
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

  async create(record: ApiKeyRecord, event?: AuditEvent): Promise<void> {
    await this.change(
      {
        Put: {
          TableName: this.tableName,
          Item: toItem(record),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      event,
      () => new ConflictError('An API key with that id already exists'),
    );
  }

  async replace(record: ApiKeyRecord, expectedVersion: number, event?: AuditEvent): Promise<void> {
    // An update of the fields a change may alter, not a whole-item put: `lastUsedAt`, written by the
    // authorizer without a version bump, must survive an edit that read the key before that write.
    // A lifted limit (no expiry, every site, any address, no grace) is an absent attribute.
    const set = CHANGEABLE_FIELDS.filter((field) => record[field] !== undefined);
    const remove = CHANGEABLE_FIELDS.filter((field) => record[field] === undefined);
    const names = Object.fromEntries(CHANGEABLE_FIELDS.map((field) => [`#${field}`, field]));
    const values = Object.fromEntries(set.map((field) => [`:${field}`, record[field]]));
    // The sparse expiry index follows `expiresAt`: in it while the key expires, out when it no longer does.
    const expiry =
      record.expiresAt === undefined ? undefined : expiryIndexKeys(record.keyId, record.expiresAt);
    const expiryValues =
      expiry === undefined
        ? {}
        : { ':gsi2pk': expiry[byExpiry.partitionKey], ':gsi2sk': expiry[byExpiry.sortKey] };
    const expiryNames = { '#gsi2pk': byExpiry.partitionKey, '#gsi2sk': byExpiry.sortKey };
    const setExpiry = record.expiresAt === undefined ? [] : ['#gsi2pk = :gsi2pk', '#gsi2sk = :gsi2sk'];
    const removeExpiry = record.expiresAt === undefined ? ['#gsi2pk', '#gsi2sk'] : [];
    const removed = [...remove.map((field) => `#${field}`), ...removeExpiry];
    await this.change(
      {
        Update: {
          TableName: this.tableName,
          Key: keyOf.apiKey(record.keyId),
          UpdateExpression: [
            `SET ${[...set.map((field) => `#${field} = :${field}`), ...setExpiry].join(', ')}`,
            removed.length === 0 ? '' : `REMOVE ${removed.join(', ')}`,
          ].join(' '),
          ConditionExpression: 'attribute_exists(pk) AND accountId = :accountId AND #version = :expected',
          ExpressionAttributeNames: { ...names, ...expiryNames },
          ExpressionAttributeValues: {
            ...values,
            ...expiryValues,
            ':accountId': record.accountId,
            ':expected': expectedVersion,
          },
        },
      },
      event,
      () => this.explainLostCondition(record.keyId, record.accountId),
    );
  }

  async delete(accountId: string, keyId: string, expectedVersion: number, event?: AuditEvent): Promise<void> {
    await this.change(
      {
        Delete: {
          TableName: this.tableName,
          Key: keyOf.apiKey(keyId),
          ConditionExpression: 'attribute_exists(pk) AND accountId = :accountId AND version = :expected',
          ExpressionAttributeValues: { ':accountId': accountId, ':expected': expectedVersion },
        },
      },
      event,
      () => this.explainLostCondition(keyId, accountId),
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

  /**
   * One conditional write, alone, or with its audit event in one transaction: either both are
   * written or neither is.
   */
  private async change(
    write: ConditionalWrite,
    event: AuditEvent | undefined,
    onLost: () => Error | Promise<Error>,
  ): Promise<void> {
    if (event !== undefined) {
      const audit = { Put: { TableName: this.tableName, Item: auditEventItem(event) } };
      await writeOrFail(
        this.client.send(new TransactWriteCommand({ TransactItems: [write, audit] })),
        onLost,
      );
      return;
    }
    const single =
      'Put' in write
        ? this.client.send(new PutCommand(write.Put))
        : 'Update' in write
          ? this.client.send(new UpdateCommand(write.Update))
          : this.client.send(new DeleteCommand(write.Delete));
    await writeOrFail(single, onLost);
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

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One of a transaction's writes; the same object also makes the single command. */
type ConditionalWrite =
  | { Put: NonNullable<TransactItem['Put']> }
  | { Update: NonNullable<TransactItem['Update']> }
  | { Delete: NonNullable<TransactItem['Delete']> };

function toItem(record: ApiKeyRecord): Record<string, unknown> {
  return {
    ...keyOf.apiKey(record.keyId),
    [byAccount.partitionKey]: keyOf.account(record.accountId).pk,
    [byAccount.sortKey]: `KEY#${record.keyId}`,
    ...(record.expiresAt === undefined ? {} : expiryIndexKeys(record.keyId, record.expiresAt)),
    ...Object.fromEntries(RECORD_FIELDS.map((field) => [field, record[field]])),
    ...(record.expiresAt === undefined ? {} : expiryIndexKeys(record.keyId, record.expiresAt)),
  };
}
