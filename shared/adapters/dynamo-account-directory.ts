import { type DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { Account, Membership, Site } from '../domain/accounts';
import type { AccountDirectory } from '../domain/onboarding';

/**
 * Lists accounts and members for the admin command and the local dev-token route. It scans the
 * table, which suits an operator's tool and a laptop; no request path of the APIs uses it.
 */
export class DynamoAccountDirectory implements AccountDirectory {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async listAccounts(): Promise<Account[]> {
    const items = await this.scan('sk = :sk', { ':sk': 'ACCOUNT' });
    return items
      .map((item) => ({
        accountId: String(item.accountId),
        email: String(item.email),
        sites: Array.isArray(item.sites) ? (item.sites as Site[]) : [],
        createdAt: String(item.createdAt),
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.accountId.localeCompare(b.accountId));
  }

  async listMembers(accountId: string): Promise<Membership[]> {
    const items = await this.scan('sk = :sk AND accountId = :accountId', {
      ':sk': 'MEMBERSHIP',
      ':accountId': accountId,
    });
    return items
      .map((item) => ({
        userId: String(item.userId),
        accountId: String(item.accountId),
        role: item.role === 'owner' ? ('owner' as const) : ('admin' as const),
        createdAt: String(item.createdAt),
      }))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.userId.localeCompare(b.userId));
  }

  private async scan(filter: string, values: Record<string, string>): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let cursor: Record<string, unknown> | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: filter,
          ExpressionAttributeValues: values,
          ExclusiveStartKey: cursor,
          ConsistentRead: true,
        }),
      );
      items.push(...(page.Items ?? []));
      cursor = page.LastEvaluatedKey;
    } while (cursor !== undefined);
    return items;
  }
}
