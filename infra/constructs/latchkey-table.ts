import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import { LatchkeyTableBase } from './latchkey-table-base';

const { partitionKey: PK, sortKey: SK } = TABLE_SCHEMA;

export interface LatchkeyTableProps {
  /**
   * What happens to the table and its key when the stack is deleted.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/** An existing Latchkey table, for a team that attaches the authorizer in another stack. */
export interface LatchkeyTableAttributes {
  readonly table: dynamodb.ITable;
  /**
   * The customer-managed key the table is encrypted with; every grant then includes it, usable only
   * through DynamoDB.
   * @default - none: the table uses an AWS-owned key, and grants add no key statement
   */
  readonly encryptionKey?: kms.IKey;
}

/**
 * The Latchkey table: on demand, point-in-time recoverable, deletion-protected, encrypted with a
 * customer-managed key (rotation on), TTL on `expiresAt`, and the indexes TABLE_SCHEMA describes.
 * The table is this construct's `Default` child and the key is created beside it as `<id>Key`, so
 * both keep the logical ids they had before this construct existed: an update never replaces them.
 */
export class LatchkeyTable extends LatchkeyTableBase {
  static fromTableAttributes(
    scope: Construct,
    id: string,
    attributes: LatchkeyTableAttributes,
  ): LatchkeyTableBase {
    return new ImportedLatchkeyTable(scope, id, attributes);
  }

  readonly table: dynamodb.Table;
  readonly encryptionKey: kms.Key;

  constructor(scope: Construct, id: string, props: LatchkeyTableProps = {}) {
    super(scope, id);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    this.encryptionKey = new kms.Key(scope, `${id}Key`, {
      description: 'Latchkey: encrypts the Latchkey table',
      enableKeyRotation: true,
      removalPolicy,
    });
    this.table = new dynamodb.Table(this, 'Default', {
      partitionKey: { name: PK, type: dynamodb.AttributeType.STRING },
      sortKey: { name: SK, type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE_SCHEMA.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.encryptionKey,
      removalPolicy,
    });
    const { byAccount, byExpiry } = TABLE_SCHEMA.indexes;
    this.table.addGlobalSecondaryIndex({
      indexName: byAccount.name,
      partitionKey: { name: byAccount.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byAccount.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType[byAccount.projection],
      nonKeyAttributes: [...byAccount.nonKeyAttributes],
    });
    this.table.addGlobalSecondaryIndex({
      indexName: byExpiry.name,
      partitionKey: { name: byExpiry.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: byExpiry.sortKey, type: dynamodb.AttributeType.STRING },
      projectionType: dynamodb.ProjectionType.INCLUDE,
      nonKeyAttributes: [...byExpiry.projected],
    });
  }
}

class ImportedLatchkeyTable extends LatchkeyTableBase {
  readonly table: dynamodb.ITable;
  readonly encryptionKey: kms.IKey | undefined;

  constructor(scope: Construct, id: string, attributes: LatchkeyTableAttributes) {
    super(scope, id);
    this.table = attributes.table;
    this.encryptionKey = attributes.encryptionKey;
  }
}
