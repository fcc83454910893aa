import { dynamoClient } from '../adapters/dynamo-client';
import { DynamoKeyLookup } from '../adapters/dynamo-key-lookup';
import type { KeyLookup } from '../domain/ports';
import { once } from './once';
import { tableName } from './table';

/**
 * The authorizer's narrow, raw-client view of the key item. A module of its own because the other
 * stores use the document client, whose package esbuild cannot drop once a module imports it.
 */
export const keyLookup = /* @__PURE__ */ once(
  (): KeyLookup => new DynamoKeyLookup(dynamoClient(), tableName()),
);
