/**
 * The Latchkey table: one table, generic keys. The CDK stack, the local server and the tests all
 * create it from this description, so they cannot disagree.
 *
 * Items (pk / sk):
 *   ACCOUNT#<accountId> / ACCOUNT                 the account, its email and sites
 *   USER#<userId>       / MEMBERSHIP              which account a signed-in user acts for
 *   KEY#<keyId>         / KEY                     an API key (gsi1: ACCOUNT#<accountId> / KEY#<keyId>)
 *   ACCOUNT#<accountId> / VERIFICATION#<id>       a challenge, TTL'd by `expiresAt`
 *   ACCOUNT#<accountId> / GUARD#MEMBER#<userId>   one member's failure run and send log
 *   ACCOUNT#<accountId> / GUARD#MAILBOX           the account-wide send log guarding its mailbox
 *   SITE#<accountId>#<siteId> / PRODUCT#<id>      a product of the sample protected API
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds. DynamoDB deletes expired items up to two days late, so readers check it too. */
  ttlAttribute: 'expiresAt',
  indexes: {
    byAccount: { name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk', projection: 'ALL' },
  },
} as const;

export const keyOf = {
  account: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' }),
  membership: (userId: string) => ({ pk: `USER#${userId}`, sk: 'MEMBERSHIP' }),
  apiKey: (keyId: string) => ({ pk: `KEY#${keyId}`, sk: 'KEY' }),
  verification: (accountId: string, verificationId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `VERIFICATION#${verificationId}`,
  }),
  memberGuard: (accountId: string, userId: string) => ({
    pk: `ACCOUNT#${accountId}`,
    sk: `GUARD#MEMBER#${userId}`,
  }),
  mailboxGuard: (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'GUARD#MAILBOX' }),
  product: (accountId: string, siteId: string, productId: string) => ({
    pk: `SITE#${accountId}#${siteId}`,
    sk: `PRODUCT#${productId}`,
  }),
} as const;

/**
 * CreateTable input for DynamoDB Local (npm start, the admin command, tests, bench). The CDK stack
 * builds its table from TABLE_SCHEMA too, and test/infra/table-definition.test.ts proves the
 * synthesized table and this input agree on keys, index, projection, TTL and stream.
 */
export function createTableInput(tableName: string) {
  const { partitionKey, sortKey, indexes } = TABLE_SCHEMA;
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST' as const,
    AttributeDefinitions: [
      { AttributeName: partitionKey, AttributeType: 'S' as const },
      { AttributeName: sortKey, AttributeType: 'S' as const },
      { AttributeName: indexes.byAccount.partitionKey, AttributeType: 'S' as const },
      { AttributeName: indexes.byAccount.sortKey, AttributeType: 'S' as const },
    ],
    KeySchema: [
      { AttributeName: partitionKey, KeyType: 'HASH' as const },
      { AttributeName: sortKey, KeyType: 'RANGE' as const },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: indexes.byAccount.name,
        KeySchema: [
          { AttributeName: indexes.byAccount.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: indexes.byAccount.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: indexes.byAccount.projection },
      },
    ],
  };
}

/** UpdateTimeToLive input: CreateTable cannot set TTL, so a new local table gets it right after. */
export function timeToLiveInput(tableName: string) {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
  };
}
