import { DynamoKeyLookup } from '../adapters/dynamo-key-lookup';
import type { KeyLookup } from '../domain/ports';
import { once } from './once';
import { tableName } from './table';
import { serviceEndpoint, transport } from './transport';

/**
 * The authorizer's narrow view of the key item, as signed DynamoDB JSON calls: a module of its own
 * so the authorizer bundles neither the DynamoDB client nor the document client.
 */
export const keyLookup = /* @__PURE__ */ once(
  (): KeyLookup => new DynamoKeyLookup(transport(), serviceEndpoint('DYNAMODB'), tableName()),
);
