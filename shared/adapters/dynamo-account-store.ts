import {
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Account, Membership, Site } from '../domain/accounts';
import { ConflictError, NotFoundError } from '../domain/errors';
import type { AccountStore } from '../domain/ports';
import { writeIfCondition, writeOrFail } from './dynamo-errors';
import { ACCOUNT_FIELDS, KEY_SITE_COPY_FIELDS, keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount } = TABLE_SCHEMA.indexes;

/**
 * Reads of the account item name its fields: the sample API's IAM allows reading only these of the
 * account's partition, and DynamoDB refuses a read that asks for every attribute under that policy.
 */
const ACCOUNT_PROJECTION = {
  ProjectionExpression: ACCOUNT_FIELDS.map((_, i) => `#f${i}`).join(', '),
  ExpressionAttributeNames: Object.fromEntries(ACCOUNT_FIELDS.map((field, i) => [`#f${i}`, field])),
};

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The account item as stored (with `sitesVersion`, which the account itself does not show). */
  private async accountItem(accountId: string): Promise<Record<string, unknown> | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({
        TableName: this.tableName,
        Key: keyOf.account(accountId),
        ConsistentRead: true,
        ...ACCOUNT_PROJECTION,
      }),
    );
    return Item;
  }

  async getAccount(accountId: string): Promise<Account | undefined> {
    const item = await this.accountItem(accountId);
    return item === undefined ? undefined : toAccount(item);
  }

  async getMembership(userId: string): Promise<Membership | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf.membership(userId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      userId: String(Item.userId),
      accountId: String(Item.accountId),
      role: Item.role === 'owner' ? 'owner' : 'admin',
      createdAt: String(Item.createdAt),
    };
  }

  async createAccount(account: Account): Promise<void> {
    await writeOrFail(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.account(account.accountId), ...account, sitesVersion: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      () => new ConflictError('That account already exists'),
    );
  }

  async setEmail(accountId: string, email: string): Promise<void> {
    await writeOrFail(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.account(accountId),
          UpdateExpression: 'SET email = :email',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':email': email },
        }),
      ),
      () => new NotFoundError('Account not found'),
    );
  }

  async putSite(accountId: string, site: Site): Promise<Account> {
    const item = await this.accountItem(accountId);
    if (item === undefined) throw new NotFoundError('Account not found');
    const account = toAccount(item);
    const sitesVersion = typeof item.sitesVersion === 'number' ? item.sitesVersion : undefined;
    const sites = [...account.sites.filter((s) => s.siteId !== site.siteId), site];
    await writeOrFail(
      this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.account(accountId),
          UpdateExpression: 'SET sites = :sites, sitesVersion = :next',
          // Compare-and-set on the version of the list we read, so two concurrent site changes cannot
          // drop one. (A version number is a cheaper condition than the whole list of maps.)
          ConditionExpression:
            sitesVersion === undefined
              ? 'attribute_exists(pk) AND attribute_not_exists(sitesVersion)'
              : 'attribute_exists(pk) AND sitesVersion = :version',
          ExpressionAttributeValues: {
            ':sites': sites,
            ':next': (sitesVersion ?? 0) + 1,
            ...(sitesVersion === undefined ? {} : { ':version': sitesVersion }),
          },
        }),
      ),
      () => new ConflictError('The account was changed by another request; try again'),
    );
    await this.copySiteIdsToKeys(
      accountId,
      sites.map((s) => s.siteId),
    );
    return { ...account, sites };
  }

  async addMember(membership: Membership): Promise<void> {
    await writeOrFail(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.membership(membership.userId), ...membership },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      () => new ConflictError('That user already belongs to an account'),
    );
  }

  /**
   * The authorizer checks a site against the key item alone (one read per request), so every key of
   * the account carries the account's site ids. Each copy bumps the key's version, so an edit that
   * read the key before the copy loses its race instead of writing the old site list back.
   */
  private async copySiteIdsToKeys(accountId: string, siteIds: readonly string[]): Promise<void> {
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: byAccount.name,
          KeyConditionExpression: '#gpk = :gpk AND begins_with(#gsk, :prefix)',
          // The keys' ids only: the function that adds sites may read nothing else of a key.
          ProjectionExpression: '#pk, #sk',
          ExpressionAttributeNames: {
            '#gpk': byAccount.partitionKey,
            '#gsk': byAccount.sortKey,
            '#pk': TABLE_SCHEMA.partitionKey,
            '#sk': TABLE_SCHEMA.sortKey,
          },
          ExpressionAttributeValues: { ':gpk': keyOf.account(accountId).pk, ':prefix': 'KEY#' },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) {
        // A key deleted since the query needs no site list, so a lost condition is fine. No check of
        // the key's accountId: a key's account never changes and key ids are never reused, so a key
        // found in this account's index partition is this account's, and the condition names no
        // attribute the sample API's IAM (siteIds and version only) does not let it touch.
        const [siteIdsField, versionField] = KEY_SITE_COPY_FIELDS;
        await writeIfCondition(
          this.client.send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET #siteIds = :siteIds ADD #version :one',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeNames: { '#siteIds': siteIdsField, '#version': versionField },
              ExpressionAttributeValues: { ':siteIds': siteIds, ':one': 1 },
            }),
          ),
        );
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor !== undefined);
  }
}

function toAccount(item: Record<string, unknown>): Account {
  return {
    accountId: String(item.accountId),
    email: String(item.email),
    sites: Array.isArray(item.sites) ? (item.sites as Site[]) : [],
    createdAt: String(item.createdAt),
  };
}
