import { dynamoDocumentClient } from '../adapters/aws-clients';
import { DynamoAccountStore } from '../adapters/dynamo-account-store';
import { DynamoKeyStore } from '../adapters/dynamo-key-store';
import { DynamoVerificationStore } from '../adapters/dynamo-verification-store';
import type { AccountStore, KeyStore, VerificationStore } from '../domain/ports';
import { once } from './once';
import { tableName } from './table';

/**
 * The stores, once per process, on the table LATCHKEY_TABLE_NAME names. Handlers call these at
 * module scope, so a missing setting fails the cold start with the setting's name.
 */
export { tableName };

export const keyStore = /* @__PURE__ */ once(
  (): KeyStore => new DynamoKeyStore(dynamoDocumentClient(), tableName()),
);

export const accountStore = /* @__PURE__ */ once(
  (): AccountStore => new DynamoAccountStore(dynamoDocumentClient(), tableName()),
);

export const verificationStore = /* @__PURE__ */ once(
  (): VerificationStore => new DynamoVerificationStore(dynamoDocumentClient(), tableName()),
);
