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
import { isConditionalCheckFailed } from './dynamo-errors';
import { keyOf, TABLE_SCHEMA } from './table-schema';

const { byAccount } = TABLE_SCHEMA.indexes;

export class DynamoAccountStore implements AccountStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async getAccount(accountId: string): Promise<Account | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf.account(accountId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    return {
      accountId: String(Item.accountId),
      email: String(Item.email),
      sites: Array.isArray(Item.sites) ? (Item.sites as Site[]) : [],
      createdAt: String(Item.createdAt),
    };
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
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.account(account.accountId), ...account, sitesVersion: 0 },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConflictError('That account already exists');
      throw error;
    }
  }

  async setEmail(accountId: string, email: string): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.account(accountId),
          UpdateExpression: 'SET email = :email',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':email': email },
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new NotFoundError('Account not found');
      throw error;
    }
  }

  async putSite(accountId: string, site: Site): Promise<Account> {
    const account = await this.getAccount(accountId);
    if (account === undefined) throw new NotFoundError('Account not found');
    const sites = [...account.sites.filter((s) => s.siteId !== site.siteId), site];
    const { Attributes } = await this.client
      .send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: keyOf.account(accountId),
          UpdateExpression: 'SET sites = :sites ADD sitesVersion :one',
          // Compare-and-set on the list we read, so two concurrent site changes cannot drop one.
          ConditionExpression: 'attribute_exists(pk) AND sites = :previous',
          ExpressionAttributeValues: { ':sites': sites, ':previous': account.sites, ':one': 1 },
          ReturnValues: 'ALL_NEW',
        }),
      )
      .catch((error: unknown) => {
        if (isConditionalCheckFailed(error)) {
          throw new ConflictError('The account was changed by another request; try again');
        }
        throw error;
      });
    await this.copySiteIdsToKeys(
      accountId,
      sites.map((s) => s.siteId),
    );
    return { ...account, sites: (Attributes?.sites as Site[] | undefined) ?? sites };
  }

  async addMember(membership: Membership): Promise<void> {
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.membership(membership.userId), ...membership },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (error) {
      if (isConditionalCheckFailed(error)) throw new ConflictError('That user already belongs to an account');
      throw error;
    }
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
          ExpressionAttributeNames: { '#gpk': byAccount.partitionKey, '#gsk': byAccount.sortKey },
          ExpressionAttributeValues: { ':gpk': keyOf.account(accountId).pk, ':prefix': 'KEY#' },
          ExclusiveStartKey: cursor,
        }),
      );
      for (const item of page.Items ?? []) {
        await this.client
          .send(
            new UpdateCommand({
              TableName: this.tableName,
              Key: { pk: item.pk, sk: item.sk },
              UpdateExpression: 'SET siteIds = :siteIds ADD version :one',
              ConditionExpression: 'attribute_exists(pk) AND accountId = :accountId',
              ExpressionAttributeValues: { ':siteIds': siteIds, ':accountId': accountId, ':one': 1 },
            }),
          )
          .catch((error: unknown) => {
            // A key deleted since the query needs no site list.
            if (!isConditionalCheckFailed(error)) throw error;
          });
      }
      cursor = page.LastEvaluatedKey;
    } while (cursor !== undefined);
  }
}
