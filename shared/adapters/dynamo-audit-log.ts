import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { StoredPage } from '../domain/api-keys';
import type { AuditEvent, AuditLog, AuditQuery } from '../domain/audit-events';
import { EVENT_FIELDS } from './audit-event-item';
import { keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount } = TABLE_SCHEMA.indexes;

/** The fields stored for an event; anything else on an item is storage, never shown. */

/**
 * The item an event is stored as. Key events also go into gsi1 under their key, so `?keyId=` is a
 * Query of one key's events rather than a filter over the account's.
 */
export function auditEventItem(event: AuditEvent): Record<string, unknown> {
  return {
    ...keyOf.auditEvent(event.accountId, event.eventId),
    ...(event.keyId === null
      ? {}
      : {
          [byAccount.partitionKey]: keyOf.keyEvents(event.accountId, event.keyId),
          [byAccount.sortKey]: `EVENT#${event.eventId}`,
        }),
    ...Object.fromEntries(EVENT_FIELDS.map((field) => [field, event[field]])),
  };
}

/** How many items one list call reads at most while a type filter skips events. */
const MAX_ITEMS_READ = 1000;

export class DynamoAuditLog implements AuditLog {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async record(event: AuditEvent): Promise<void> {
    await this.client.send(new PutCommand({ TableName: this.tableName, Item: auditEventItem(event) }));
  }

  async list(accountId: string, query: AuditQuery): Promise<StoredPage<AuditEvent>> {
    const accountPk = keyOf.account(accountId).pk;
    const start = query.after;
    const byKey = query.keyId !== undefined;
    const items: AuditEvent[] = [];
    let exclusiveStart = start === undefined ? undefined : this.startKey(accountId, start, query.keyId);
    let read = 0;
    let more = true;
    // A type filter is applied by DynamoDB after reading; keep reading until the page is full, so a
    // page is short only at the end (bounded, so a rare type cannot make one call read everything).
    while (items.length < query.limit && more && read < MAX_ITEMS_READ) {
      const result = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ...(byKey ? { IndexName: byAccount.name } : {}),
          KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :prefix)',
          ExpressionAttributeNames: {
            '#pk': byKey ? byAccount.partitionKey : TABLE_SCHEMA.partitionKey,
            '#sk': byKey ? byAccount.sortKey : TABLE_SCHEMA.sortKey,
            ...(query.type === undefined ? {} : { '#type': 'type' }),
          },
          ExpressionAttributeValues: {
            ':pk': query.keyId === undefined ? accountPk : keyOf.keyEvents(accountId, query.keyId),
            ':prefix': 'EVENT#',
            ...(query.type === undefined ? {} : { ':type': query.type }),
          },
          ...(query.type === undefined ? {} : { FilterExpression: '#type = :type' }),
          ScanIndexForward: false,
          Limit: query.limit - items.length,
          ExclusiveStartKey: exclusiveStart,
        }),
      );
      read += result.ScannedCount ?? 0;
      items.push(...(result.Items ?? []).map(toEvent));
      exclusiveStart = result.LastEvaluatedKey;
      more = exclusiveStart !== undefined;
    }
    const last = items.at(-1);
    const lastRead = exclusiveStart?.sk;
    // The next page starts after the last event read, even when the filter skipped the events before it.
    const lastId =
      typeof lastRead === 'string' ? lastRead.slice('EVENT#'.length) : (last?.eventId ?? undefined);
    return { items, resumeAfter: more ? lastId : undefined };
  }

  /** Rebuilt from the caller's own account and key, so even a valid cursor can never reach another account. */
  private startKey(accountId: string, eventId: string, keyId: string | undefined): Record<string, unknown> {
    const tableKey = keyOf.auditEvent(accountId, eventId);
    if (keyId === undefined) return tableKey;
    return {
      ...tableKey,
      [byAccount.partitionKey]: keyOf.keyEvents(accountId, keyId),
      [byAccount.sortKey]: `EVENT#${eventId}`,
    };
  }
}

function toEvent(item: Record<string, unknown>): AuditEvent {
  return Object.fromEntries(
    EVENT_FIELDS.map((field) => [field, item[field] ?? null]),
  ) as unknown as AuditEvent;
}
