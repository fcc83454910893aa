import { type DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DAY_MS, type ExpiringKey, type ExpiryIndex, type ReminderKind } from '../domain/expiry-reminders';
import { writeIfCondition } from './dynamo-errors';
import { keyOf, TABLE_SCHEMA } from './table-schema';

const { byExpiry } = TABLE_SCHEMA.indexes;

/** Reads the sparse expiry index day by day and claims reminders on the key items. */
export class DynamoExpiryIndex implements ExpiryIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async expiringBetween(from: Date, to: Date): Promise<ExpiringKey[]> {
    const keys: ExpiringKey[] = [];
    const lower = from.toISOString();
    // `~` sorts after `#` and every id character, so the bound covers every key expiring at `to`.
    const upper = `${to.toISOString()}~`;
    for (let day = startOfDay(from); day <= to.getTime(); day += DAY_MS) {
      let start: Record<string, unknown> | undefined;
      do {
        const page = await this.client.send(
          new QueryCommand({
            TableName: this.tableName,
            IndexName: byExpiry.name,
            KeyConditionExpression: '#pk = :day AND #sk BETWEEN :lower AND :upper',
            ExpressionAttributeNames: { '#pk': byExpiry.partitionKey, '#sk': byExpiry.sortKey },
            ExpressionAttributeValues: {
              ':day': `EXPIRES#${new Date(day).toISOString().slice(0, 10)}`,
              ':lower': lower,
              ':upper': upper,
            },
            ExclusiveStartKey: start,
          }),
        );
        for (const item of page.Items ?? []) {
          const key = toExpiringKey(item);
          // (from, to]: a key expiring exactly at `from` is already expired.
          if (key !== undefined && key.expiresAt > lower) keys.push(key);
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
    }
    return keys;
  }

  async claimReminder(key: ExpiringKey, kind: ReminderKind): Promise<boolean> {
    const attribute = `reminded${kind}`;
    return writeIfCondition(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.apiKey(key.keyId),
          UpdateExpression: 'SET #reminded = :expiresAt',
          ConditionExpression:
            'attribute_exists(pk) AND expiresAt = :expiresAt AND (attribute_not_exists(#reminded) OR #reminded <> :expiresAt)',
          ExpressionAttributeNames: { '#reminded': attribute },
          ExpressionAttributeValues: { ':expiresAt': key.expiresAt },
        }),
      ),
    );
  }

  async releaseReminder(key: ExpiringKey, kind: ReminderKind): Promise<void> {
    await writeIfCondition(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.apiKey(key.keyId),
          UpdateExpression: 'REMOVE #reminded',
          ConditionExpression: 'attribute_exists(pk) AND #reminded = :expiresAt',
          ExpressionAttributeNames: { '#reminded': `reminded${kind}` },
          ExpressionAttributeValues: { ':expiresAt': key.expiresAt },
        }),
      ),
    );
  }
}

function startOfDay(date: Date): number {
  return Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate());
}

function toExpiringKey(item: Record<string, unknown>): ExpiringKey | undefined {
  const { keyId, accountId, name, expiresAt, reminded7d, reminded1d } = item;
  if (typeof keyId !== 'string' || typeof accountId !== 'string' || typeof expiresAt !== 'string') {
    return undefined;
  }
  return {
    keyId,
    accountId,
    name: typeof name === 'string' ? name : '',
    expiresAt,
    reminded7d: typeof reminded7d === 'string' ? reminded7d : undefined,
    reminded1d: typeof reminded1d === 'string' ? reminded1d : undefined,
  };
}
