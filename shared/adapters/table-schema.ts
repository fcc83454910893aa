import { INDEXED_KEY_FIELDS } from './api-key-item';
import { EVENT_FIELDS } from './audit-event-item';

/**
 * The Latchkey table: one table, generic keys. The CDK stack, the local server and the tests all
 * create it from this description, so they cannot disagree.
 *
 * Items (pk / sk):
 *   ACCOUNT#<accountId> / ACCOUNT                 the account, its email and sites
 *   USER#<userId>       / MEMBERSHIP              which account a signed-in user acts for
 *   KEY#<keyId>         / KEY                     an API key (gsi1: ACCOUNT#<accountId> / KEY#<keyId>;
 *                                                 gsi2, only when it expires: EXPIRES#<day> / <expiresAt>#<keyId>)
 *   ACCOUNT#<accountId> / VERIFICATION#<id>       a challenge, TTL'd by `expiresAt`
 *   ACCOUNT#<accountId> / GUARD#MEMBER#<userId>   one member's failure run and send log
 *   ACCOUNT#<accountId> / GUARD#MAILBOX           the account-wide send log guarding its mailbox
 *   SITE#<accountId>#<siteId> / PRODUCT#<id>      a product of the sample protected API
 *   ACCOUNT#<accountId> / WEBHOOK                 the account's webhook (URL, sealed secret)
 *   ACCOUNT#<accountId> / EVENT#<eventId>         an audit event, TTL'd by `expiresAt`
 *                          (gsi1, key events only: ACCOUNT#<accountId>#KEY#<keyId> / EVENT#<eventId>)
 */
export const TABLE_SCHEMA = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds. DynamoDB deletes expired items up to two days late, so readers check it too. */
  ttlAttribute: 'expiresAt',
  indexes: {
    byAccount: {
      name: 'gsi1',
      partitionKey: 'gsi1pk',
      sortKey: 'gsi1sk',
      projection: 'INCLUDE',
      // A key's fields but lastUsedAt (so the authorizer's lastUsedAt write is one unit, touching no
      // index entry), and the fields of the key events that share this index.
      nonKeyAttributes: /* @__PURE__ */ distinct(INDEXED_KEY_FIELDS, EVENT_FIELDS),
    },
    /**
     * Sparse: only keys with an expiry are in it, partitioned by the UTC day they expire, so the
     * reminder job reads the coming week's keys and never scans. Its own attributes, not
     * `expiresAt` itself: that name is also the TTL's, a number on other items, and an index key
     * must have one type.
     */
    byExpiry: {
      name: 'gsi2',
      partitionKey: 'gsi2pk',
      sortKey: 'gsi2sk',
      projected: ['keyId', 'accountId', 'name', 'expiresAt', 'reminded7d', 'reminded1d'],
    },
  },
} as const;

/**
 * Marked pure where it is called, so a function that only needs an item's key (the authorizer)
 * bundles neither this description nor the field lists it is built from.
 */
function distinct<T>(...lists: readonly (readonly T[])[]): T[] {
  return [...new Set(lists.flat())];
}

/**
 * The partition-key prefix of each item kind. The sample API's IAM grants name these in
 * `dynamodb:LeadingKeys`, so a function reaches only the partitions of the items it works with.
 */
export const ITEM_PARTITIONS = {
  account: 'ACCOUNT#',
  membership: 'USER#',
  apiKey: 'KEY#',
  product: 'SITE#',
} as const;

const P = ITEM_PARTITIONS;

export const keyOf = {
  account: (accountId: string) => ({ pk: `${P.account}${accountId}`, sk: 'ACCOUNT' }),
  membership: (userId: string) => ({ pk: `${P.membership}${userId}`, sk: 'MEMBERSHIP' }),
  apiKey: (keyId: string) => ({ pk: `${P.apiKey}${keyId}`, sk: 'KEY' }),
  verification: (accountId: string, verificationId: string) => ({
    pk: `${P.account}${accountId}`,
    sk: `VERIFICATION#${verificationId}`,
  }),
  memberGuard: (accountId: string, userId: string) => ({
    pk: `${P.account}${accountId}`,
    sk: `GUARD#MEMBER#${userId}`,
  }),
  mailboxGuard: (accountId: string) => ({ pk: `${P.account}${accountId}`, sk: 'GUARD#MAILBOX' }),
  webhook: (accountId: string) => ({ pk: `${P.account}${accountId}`, sk: 'WEBHOOK' }),
  auditEvent: (accountId: string, eventId: string) => ({
    pk: `${P.account}${accountId}`,
    sk: `EVENT#${eventId}`,
  }),
  /** The gsi1 partition of one key's events, inside its account. */
  keyEvents: (accountId: string, keyId: string) => `${P.account}${accountId}#KEY#${keyId}`,
  product: (accountId: string, siteId: string, productId: string) => ({
    pk: `${P.product}${accountId}#${siteId}`,
    sk: `PRODUCT#${productId}`,
  }),
} as const;

/**
 * The account item's own fields. Reads of an account ask for exactly these, because the sample
 * API's IAM lets its functions read only these of the account partition, which also holds codes,
 * guards, the webhook and audit events.
 */
export const ACCOUNT_FIELDS = ['accountId', 'email', 'sites', 'createdAt', 'sitesVersion'] as const;

/** What adding a site writes on each key of the account: the copied site ids and the version bump. */
export const KEY_SITE_COPY_FIELDS = ['siteIds', 'version'] as const;

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
      { AttributeName: indexes.byExpiry.partitionKey, AttributeType: 'S' as const },
      { AttributeName: indexes.byExpiry.sortKey, AttributeType: 'S' as const },
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
        Projection: {
          ProjectionType: indexes.byAccount.projection,
          NonKeyAttributes: [...indexes.byAccount.nonKeyAttributes],
        },
      },
      {
        IndexName: indexes.byExpiry.name,
        KeySchema: [
          { AttributeName: indexes.byExpiry.partitionKey, KeyType: 'HASH' as const },
          { AttributeName: indexes.byExpiry.sortKey, KeyType: 'RANGE' as const },
        ],
        Projection: { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...indexes.byExpiry.projected] },
      },
    ],
  };
}

/** The sparse expiry index's keys for a key that expires at `expiresAt` (ISO-8601 UTC). */
export function expiryIndexKeys(keyId: string, expiresAt: string): Record<string, string> {
  const { byExpiry } = TABLE_SCHEMA.indexes;
  return {
    [byExpiry.partitionKey]: `EXPIRES#${expiresAt.slice(0, 10)}`,
    [byExpiry.sortKey]: `${expiresAt}#${keyId}`,
  };
}

/** UpdateTimeToLive input: CreateTable cannot set TTL, so a new local table gets it right after. */
export function timeToLiveInput(tableName: string) {
  return {
    TableName: tableName,
    TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.ttlAttribute, Enabled: true },
  };
}
