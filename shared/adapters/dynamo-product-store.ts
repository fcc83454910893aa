import { type DynamoDBDocumentClient, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { ConflictError } from '../domain/errors';
import { MAX_PRODUCTS_PER_SITE, type Product, type ProductStore } from '../domain/products';
import { writeOrFail } from './dynamo-errors';
import { keyOf } from './table-schema';

export class DynamoProductStore implements ProductStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async create(product: Product): Promise<void> {
    await writeOrFail(
      this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { ...keyOf.product(product.accountId, product.siteId, product.productId), ...product },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
      () => new ConflictError('A product with that id already exists'),
    );
  }

  async listBySite(accountId: string, siteId: string): Promise<Product[]> {
    const { pk } = keyOf.product(accountId, siteId, '');
    const { Items } = await this.client.send(
      new QueryCommand({
        TableName: this.tableName,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': pk, ':prefix': 'PRODUCT#' },
        Limit: MAX_PRODUCTS_PER_SITE,
        ConsistentRead: true,
      }),
    );
    return (Items ?? []).map(toProduct);
  }
}

function toProduct(item: Record<string, unknown>): Product {
  return {
    productId: String(item.productId),
    accountId: String(item.accountId),
    siteId: String(item.siteId),
    name: String(item.name),
    priceCents: Number(item.priceCents),
    currency: String(item.currency),
    createdAt: String(item.createdAt),
    createdByKeyId: String(item.createdByKeyId),
  };
}
