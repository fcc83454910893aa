import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { NotFoundError } from '../domain/errors';
import type { WebhookStore, WebhookSubscription } from '../domain/notifications';
import type { SealedSecret } from '../domain/pepper-vault';
import { writeOrFail } from './dynamo-errors';
import { keyOf } from './table-schema';

/** Seals and opens the webhook secret; `PepperVault` does it under a key derived from the pepper. */
export interface SecretSealer {
  seal(secret: string, purpose: string): Promise<SealedSecret>;
  open(sealed: SealedSecret, purpose: string): Promise<string>;
}

const PURPOSE = 'webhook-secret';

/** One webhook per account, its secret stored only sealed. */
export class DynamoWebhookStore implements WebhookStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    /** Called only by get and put, so a function that only deletes needs no pepper. */
    private readonly sealer: () => SecretSealer,
  ) {}

  async get(accountId: string): Promise<WebhookSubscription | undefined> {
    const { Item } = await this.client.send(
      new GetCommand({ TableName: this.tableName, Key: keyOf.webhook(accountId), ConsistentRead: true }),
    );
    if (Item === undefined) return undefined;
    const secret = await this.sealer().open(
      { sealed: String(Item.sealedSecret), pepperVersion: Number(Item.pepperVersion) },
      PURPOSE,
    );
    return { accountId, url: String(Item.url), secret, createdAt: String(Item.createdAt) };
  }

  async put(subscription: WebhookSubscription): Promise<void> {
    const sealed = await this.sealer().seal(subscription.secret, PURPOSE);
    await this.client.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...keyOf.webhook(subscription.accountId),
          url: subscription.url,
          sealedSecret: sealed.sealed,
          pepperVersion: sealed.pepperVersion,
          createdAt: subscription.createdAt,
        },
      }),
    );
  }

  async delete(accountId: string): Promise<void> {
    await writeOrFail(
      this.client.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: keyOf.webhook(accountId),
          ConditionExpression: 'attribute_exists(pk)',
        }),
      ),
      () => new NotFoundError('This account has no webhook'),
    );
  }
}
