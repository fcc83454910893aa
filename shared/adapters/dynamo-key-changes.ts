import { randomUUID } from 'node:crypto';
import {
  type DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRecord, PreviousToken } from '../domain/api-keys';
import type { AuditEvent } from '../domain/audit-events';
import { CHANGEABLE_FIELDS, RECORD_FIELDS } from './api-key-item';
import { auditEventItem } from './dynamo-audit-log';
import { isConditionLost } from './dynamo-errors';
import { expiryIndexKeys, keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount, byExpiry } = TABLE_SCHEMA.indexes;

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];
/** One key write: a conditional put, update or delete of the key item. */
export type KeyWrite =
  | { Put: NonNullable<TransactItem['Put']> }
  | { Update: NonNullable<TransactItem['Update']> }
  | { Delete: NonNullable<TransactItem['Delete']> };

/**
 * Writes one key change so that it knows its own outcome. The change and its audit event are one
 * transaction that carries a request id, the event's id, as its ClientRequestToken:
 *
 * - The SDK retries a write whose response was lost (a timeout) with the same token, and DynamoDB
 *   answers the retry of a committed transaction with success instead of re-checking conditions
 *   that the first attempt itself made false.
 * - Whatever still fails (every attempt's response lost, or a retry DynamoDB no longer recognises,
 *   whose condition then fails) is settled by one consistent read of the event: it is written only
 *   by this transaction, under this request's id, so if it exists the change landed and the caller
 *   gets the answer the first response would have carried (the token of a rotate, the 204 of a
 *   delete). A delete leaves no key to look at, so the event is its trace too. If the event is not
 *   there, a lost condition is a real conflict (409/404) and any other failure stands.
 */
export class KeyChangeWriter {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async write(
    write: KeyWrite,
    event: AuditEvent | undefined,
    onLost: () => Error | Promise<Error>,
  ): Promise<void> {
    const items: TransactItem[] =
      event === undefined
        ? [write]
        : [write, { Put: { TableName: this.tableName, Item: auditEventItem(event) } }];
    try {
      await this.client.send(
        new TransactWriteCommand({
          TransactItems: items,
          // A change without an event (fixtures, tooling) still gets DynamoDB's idempotent retries.
          ClientRequestToken: event?.eventId ?? randomUUID(),
        }),
      );
    } catch (error) {
      if (event !== undefined && (await this.landed(event))) return;
      if (isConditionLost(error)) throw await onLost();
      throw error;
    }
  }

  /** Whether this request's event, and so its change, is in the table. A failed read proves nothing. */
  private async landed(event: AuditEvent): Promise<boolean> {
    try {
      const { Item } = await this.client.send(
        new GetCommand({
          TableName: this.tableName,
          Key: keyOf.auditEvent(event.accountId, event.eventId),
          ConsistentRead: true,
          ProjectionExpression: 'pk',
        }),
      );
      return Item !== undefined;
    } catch {
      return false;
    }
  }
}

/** A new key item: the key, its place in the account index, and in the expiry index when it expires. */
export function newKeyWrite(tableName: string, record: ApiKeyRecord): KeyWrite {
  return {
    Put: {
      TableName: tableName,
      Item: {
        ...keyOf.apiKey(record.keyId),
        [byAccount.partitionKey]: keyOf.account(record.accountId).pk,
        [byAccount.sortKey]: `KEY#${record.keyId}`,
        ...Object.fromEntries(RECORD_FIELDS.map((field) => [field, record[field]])),
        ...(record.expiresAt === undefined ? {} : expiryIndexKeys(record.keyId, record.expiresAt)),
      },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  };
}

/**
 * An update of the fields a change may alter, not a whole-item put: `lastUsedAt`, written by the
 * authorizer without a version bump, must survive an edit that read the key before that write.
 * A lifted limit (no expiry, every site, any address, no grace) is an absent attribute.
 */
export function replaceKeyWrite(tableName: string, record: ApiKeyRecord, expectedVersion: number): KeyWrite {
  const set = CHANGEABLE_FIELDS.filter((field) => record[field] !== undefined);
  const remove = CHANGEABLE_FIELDS.filter((field) => record[field] === undefined);
  const names = Object.fromEntries(CHANGEABLE_FIELDS.map((field) => [`#${field}`, field]));
  const values = Object.fromEntries(set.map((field) => [`:${field}`, record[field]]));
  // The sparse expiry index follows `expiresAt`: in it while the key expires, out when it no longer does.
  const expiry = record.expiresAt === undefined ? undefined : expiryIndexKeys(record.keyId, record.expiresAt);
  const expiryValues =
    expiry === undefined
      ? {}
      : { ':gsi2pk': expiry[byExpiry.partitionKey], ':gsi2sk': expiry[byExpiry.sortKey] };
  const setExpiry = expiry === undefined ? [] : ['#gsi2pk = :gsi2pk', '#gsi2sk = :gsi2sk'];
  const removed = [
    ...remove.map((field) => `#${field}`),
    ...(expiry === undefined ? ['#gsi2pk', '#gsi2sk'] : []),
  ];
  return {
    Update: {
      TableName: tableName,
      Key: keyOf.apiKey(record.keyId),
      UpdateExpression: [
        `SET ${[...set.map((field) => `#${field} = :${field}`), ...setExpiry].join(', ')}`,
        removed.length === 0 ? '' : `REMOVE ${removed.join(', ')}`,
      ].join(' '),
      ConditionExpression: 'attribute_exists(pk) AND accountId = :accountId AND #version = :expected',
      ExpressionAttributeNames: { ...names, '#gsi2pk': byExpiry.partitionKey, '#gsi2sk': byExpiry.sortKey },
      ExpressionAttributeValues: {
        ...values,
        ...expiryValues,
        ':accountId': record.accountId,
        ':expected': expectedVersion,
      },
    },
  };
}

export function deleteKeyWrite(
  tableName: string,
  accountId: string,
  keyId: string,
  expectedVersion: number,
): KeyWrite {
  return {
    Delete: {
      TableName: tableName,
      Key: keyOf.apiKey(keyId),
      ConditionExpression: 'attribute_exists(pk) AND accountId = :accountId AND version = :expected',
      ExpressionAttributeValues: { ':accountId': accountId, ':expected': expectedVersion },
    },
  };
}

/**
 * Ends a grace period early: removes the previous token only while the key still holds that very
 * one (same digest) and its grace has not ended (ISO-8601 UTC strings compare in time order). The
 * version goes up by one in place, so whatever read the key before this write loses its own.
 */
export function endGraceWrite(
  tableName: string,
  keyId: string,
  previous: PreviousToken,
  change: { at: string; by: string },
): KeyWrite {
  return {
    Update: {
      TableName: tableName,
      Key: keyOf.apiKey(keyId),
      UpdateExpression:
        'SET #version = #version + :one, updatedAt = :at, updatedBy = :by REMOVE previousToken',
      ConditionExpression:
        'attribute_exists(pk) AND previousToken.tokenHash = :previousHash AND previousToken.validUntil > :at',
      ExpressionAttributeNames: { '#version': 'version' },
      ExpressionAttributeValues: {
        ':one': 1,
        ':at': change.at,
        ':by': change.by,
        ':previousHash': previous.tokenHash,
      },
    },
  };
}
