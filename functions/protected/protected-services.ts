import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { DynamoProductStore } from '../../shared/adapters/dynamo-product-store';
import type { ProductStore } from '../../shared/domain/products';
import { tableName } from '../../shared/wiring/stores';

/** Wiring for the sample protected API's product routes, built once per process. */
let products: ProductStore | undefined;

export function productStore(): ProductStore {
  products ??= new DynamoProductStore(dynamoDocumentClient(), tableName());
  return products;
}
