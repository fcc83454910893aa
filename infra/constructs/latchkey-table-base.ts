import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import {
  ACCOUNT_FIELDS,
  ITEM_PARTITIONS,
  KEY_SITE_COPY_FIELDS,
  TABLE_SCHEMA,
} from '../../shared/adapters/table-schema';
import { grantStatement } from './grant-statement';

const KEY_READ = ['kms:Decrypt', 'kms:DescribeKey'];
const KEY_WRITE = [...KEY_READ, 'kms:Encrypt', 'kms:GenerateDataKey'];
const ITEM_READ = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
const ITEM_WRITE = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];

/** A request may name only these attributes, asks for them by name, and asks for nothing back. */
function onlyAttributes(attributes: readonly string[]): Record<string, Record<string, unknown>> {
  return {
    'ForAllValues:StringEquals': { 'dynamodb:Attributes': [...attributes] },
    StringEqualsIfExists: { 'dynamodb:Select': 'SPECIFIC_ATTRIBUTES', 'dynamodb:ReturnValues': 'NONE' },
  };
}

/** Only items whose partition key starts with `prefix` (on an index: the index's partition key). */
function onlyPartitions(prefix: string): Record<string, Record<string, unknown>> {
  return { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${prefix}*`] } };
}

const { partitionKey: PK, sortKey: SK } = TABLE_SCHEMA;

/**
 * The grant methods of the Latchkey table, shared by a table made here and one imported. Each is
 * named for the item kinds and the access it gives, returns an `iam.Grant`, and grants the table's
 * customer-managed key too, usable only through DynamoDB (`kms:ViaService`). Statements are explicit
 * rather than `grantReadData` (which adds Scan, ConditionCheckItem and more), so each role says
 * exactly what its function does and the tests can assert the exact actions.
 */
export abstract class LatchkeyTableBase extends Construct {
  abstract readonly table: dynamodb.ITable;
  /** The customer-managed key the table is encrypted with; undefined for an AWS-owned key. */
  abstract readonly encryptionKey: kms.IKey | undefined;

  /** The ARNs of the table's indexes (by account; the sparse expiry index). */
  get indexArns(): string[] {
    return Object.values(TABLE_SCHEMA.indexes).map((index) => `${this.table.tableArn}/index/${index.name}`);
  }

  /** Every item and both indexes, read: the management API reads keys, accounts, members, codes, events. */
  grantAllItemsRead(grantee: iam.IGrantable): iam.Grant {
    return this.allItemsRead(grantee).combine(this.grantTableKey(grantee, false));
  }

  /** Every item, written (never an index: DynamoDB maintains those). */
  grantAllItemsWrite(grantee: iam.IGrantable): iam.Grant {
    return this.allItemsWrite(grantee).combine(this.grantTableKey(grantee, true));
  }

  /** Both of the above, with one statement for the table key. */
  grantAllItemsReadWrite(grantee: iam.IGrantable): iam.Grant {
    return this.allItemsRead(grantee)
      .combine(this.allItemsWrite(grantee))
      .combine(this.grantTableKey(grantee, true));
  }

  /** The authorizer's read: one GetItem of a key item by its id. */
  grantKeyRead(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'ReadKey', ['dynamodb:GetItem'], onlyPartitions(ITEM_PARTITIONS.apiKey));
  }

  /** The authorizer's write: `lastUsedAt` of an item, and nothing back. */
  grantKeyLastUsedWrite(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'RecordLastUsed', ['dynamodb:UpdateItem'], {
      'ForAllValues:StringEquals': { 'dynamodb:Attributes': [PK, SK, 'lastUsedAt'] },
      StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
    });
  }

  /**
   * The account item's own fields (its sites among them), by GetItem. Verification codes, guards,
   * the webhook and audit events share the account's partition, so the attribute list is what keeps
   * their fields out of reach: IAM has no condition on the sort key.
   */
  grantAccountRead(grantee: iam.IGrantable): iam.Grant {
    return this.accountRead(grantee).combine(this.grantTableKey(grantee, false));
  }

  /**
   * Adding a site: read the account, compare-and-set its site list, find the account's keys (their
   * ids only) in the account index and copy the site ids onto each. No other field of a key.
   */
  grantSitesWrite(grantee: iam.IGrantable): iam.Grant {
    const { byAccount } = TABLE_SCHEMA.indexes;
    const siteList = {
      ...onlyPartitions(ITEM_PARTITIONS.account),
      ...onlyAttributes([PK, SK, 'sites', 'sitesVersion']),
    };
    const keyIds = {
      ...onlyPartitions(ITEM_PARTITIONS.account),
      ...onlyAttributes([PK, SK, byAccount.partitionKey, byAccount.sortKey]),
    };
    const siteIdCopies = {
      ...onlyPartitions(ITEM_PARTITIONS.apiKey),
      ...onlyAttributes([PK, SK, ...KEY_SITE_COPY_FIELDS]),
    };
    return this.accountRead(grantee)
      .combine(this.statement(grantee, 'SiteListWrite', ['dynamodb:UpdateItem'], siteList))
      .combine(
        this.statement(grantee, 'AccountKeyIdsRead', ['dynamodb:Query'], keyIds, [
          `${this.table.tableArn}/index/${byAccount.name}`,
        ]),
      )
      .combine(this.statement(grantee, 'KeySiteIdsWrite', ['dynamodb:UpdateItem'], siteIdCopies))
      .combine(this.grantTableKey(grantee, true));
  }

  /** A site's products (their partitions hold nothing else), by Query. */
  grantProductRead(grantee: iam.IGrantable): iam.Grant {
    return this.statement(
      grantee,
      'ProductRead',
      ['dynamodb:Query'],
      onlyPartitions(ITEM_PARTITIONS.product),
    ).combine(this.grantTableKey(grantee, false));
  }

  /** A new product, by PutItem, in a site's product partition only. */
  grantProductWrite(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'ProductWrite', ['dynamodb:PutItem'], {
      ...onlyPartitions(ITEM_PARTITIONS.product),
      StringEqualsIfExists: { 'dynamodb:ReturnValues': 'NONE' },
    }).combine(this.grantTableKey(grantee, true));
  }

  /**
   * DynamoDB encrypts with the table's customer-managed key on the caller's behalf, so the caller
   * needs the key too; `kms:ViaService` keeps that key usable only through DynamoDB.
   */
  grantTableKey(grantee: iam.IGrantable, write: boolean): iam.Grant {
    // An AWS-owned key needs no grant: DynamoDB uses it on everyone's behalf.
    if (this.encryptionKey === undefined) return iam.Grant.drop(grantee, 'use the table key (AWS-owned)');
    return grantStatement(write ? 'TableKeyReadWrite' : 'TableKeyRead', {
      grantee,
      actions: write ? KEY_WRITE : KEY_READ,
      resourceArns: [this.encryptionKey.keyArn],
      conditions: {
        StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(this.table).region}.amazonaws.com` },
      },
    });
  }

  private allItemsRead(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'TableRead', ITEM_READ, undefined, [
      this.table.tableArn,
      ...this.indexArns,
    ]);
  }

  private allItemsWrite(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'TableWrite', ITEM_WRITE);
  }

  private accountRead(grantee: iam.IGrantable): iam.Grant {
    return this.statement(grantee, 'AccountRead', ['dynamodb:GetItem'], {
      ...onlyPartitions(ITEM_PARTITIONS.account),
      ...onlyAttributes([PK, SK, ...ACCOUNT_FIELDS]),
    });
  }

  /** A statement on the table itself unless `resourceArns` says otherwise. */
  private statement(
    grantee: iam.IGrantable,
    sid: string,
    actions: string[],
    conditions?: Record<string, Record<string, unknown>>,
    resourceArns: string[] = [this.table.tableArn],
  ): iam.Grant {
    return grantStatement(sid, { grantee, actions, resourceArns, ...(conditions ? { conditions } : {}) });
  }
}
