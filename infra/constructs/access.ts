import { Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { TABLE_SCHEMA } from '../../shared/adapters/table-schema';
import { SETTINGS } from '../../shared/config';
import { pepperEncryptionContext } from '../../shared/domain/pepper';
import type { Grant } from '../../shared/routes';

/** The pepper as functions consume it: a KMS key and the encrypted data key per version. */
export interface PepperReference {
  /** The KMS key the pepper data keys are encrypted under. */
  readonly key: kms.IKey;
  /** `LATCHKEY_PEPPERS`: JSON of version -> base64 ciphertext (a token until deploy time). */
  readonly peppersJson: string;
}

/** Where verification codes are sent from. */
export interface MailReference {
  /** The From header, e.g. `Latchkey <no-reply@example.com>`. */
  readonly mailFrom: string;
  /** The bare address; `ses:FromAddress` must equal it. */
  readonly fromAddress: string;
  /** ARN of the verified SES identity. */
  readonly identityArn: string;
  readonly configurationSetName: string;
  readonly configurationSetArn: string;
}

/** Everything a Latchkey function may be granted access to. */
export interface LatchkeyBackend {
  readonly table: dynamodb.ITable;
  /** The customer-managed key the table is encrypted with. */
  readonly tableKey: kms.IKey;
  readonly pepper: PepperReference;
  /** @default - no function may send mail */
  readonly mail?: MailReference;
  /** `LATCHKEY_LEAK_REPORTER_KEYS` for the leak-report route. @default - none: every report gets 401 */
  readonly leakReporterKeys?: string;
  /** Days audit events are kept (the table's TTL removes them). @default 365 */
  readonly auditRetentionDays?: number;
}

/** The purpose every pepper's encryption context carries; the IAM condition matches it. */
export const PEPPER_PURPOSE = pepperEncryptionContext(1).purpose;

/** The ARNs of the table's indexes (by account; the sparse expiry index). */
export function tableIndexArns(table: dynamodb.ITable): string[] {
  return Object.values(TABLE_SCHEMA.indexes).map((index) => `${table.tableArn}/index/${index.name}`);
}

/**
 * DynamoDB encrypts with the table's customer-managed key on the caller's behalf, so the caller
 * needs the key too; `kms:ViaService` keeps that key usable only through DynamoDB.
 */
export function tableKeyStatement(backend: LatchkeyBackend, write: boolean): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: write ? 'TableKeyReadWrite' : 'TableKeyRead',
    actions: write
      ? ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey']
      : ['kms:Decrypt', 'kms:DescribeKey'],
    resources: [backend.tableKey.keyArn],
    conditions: {
      StringEquals: { 'kms:ViaService': `dynamodb.${Stack.of(backend.table).region}.amazonaws.com` },
    },
  });
}

/** kms:Decrypt of the pepper, only under the pepper's encryption context. */
export function pepperDecryptStatement(backend: LatchkeyBackend): iam.PolicyStatement {
  return new iam.PolicyStatement({
    sid: 'PepperDecrypt',
    actions: ['kms:Decrypt'],
    resources: [backend.pepper.key.keyArn],
    conditions: { StringEquals: { 'kms:EncryptionContext:purpose': PEPPER_PURPOSE } },
  });
}

export function pepperEnvironment(backend: LatchkeyBackend): Record<string, string> {
  return {
    [SETTINGS.peppers]: backend.pepper.peppersJson,
    [SETTINGS.pepperKmsKeyId]: backend.pepper.key.keyArn,
    [SETTINGS.keyProvider]: 'kms',
  };
}

export interface FunctionAccess {
  readonly statements: iam.PolicyStatement[];
  readonly environment: Record<string, string>;
}

/**
 * Translates a route's `grants` into explicit IAM statements and the settings that go with them.
 * Explicit statements rather than `table.grantReadData` (which adds Scan, ConditionCheckItem and more), so
 * each role says exactly what its function does and tests can assert the exact actions.
 */
export function accessFor(grants: readonly Grant[], backend: LatchkeyBackend): FunctionAccess {
  const statements: iam.PolicyStatement[] = [];
  let environment: Record<string, string> = {};
  const reads = grants.includes('table:read');
  const writes = grants.includes('table:write');

  if (reads || writes) environment[SETTINGS.tableName] = backend.table.tableName;
  if (writes && backend.auditRetentionDays !== undefined) {
    environment[SETTINGS.auditRetentionDays] = String(backend.auditRetentionDays);
  }
  if (grants.includes('leak:reporters') && backend.leakReporterKeys !== undefined) {
    environment[SETTINGS.leakReporterKeys] = backend.leakReporterKeys;
  }
  if (reads) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'TableRead',
        actions: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
        resources: [backend.table.tableArn, ...tableIndexArns(backend.table)],
      }),
    );
  }
  if (writes) {
    statements.push(
      new iam.PolicyStatement({
        sid: 'TableWrite',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [backend.table.tableArn],
      }),
    );
  }
  if (reads || writes) statements.push(tableKeyStatement(backend, writes));

  if (grants.includes('pepper:decrypt')) {
    statements.push(pepperDecryptStatement(backend));
    environment = { ...environment, ...pepperEnvironment(backend) };
  }

  if (grants.includes('mail:send')) {
    const mail = backend.mail;
    if (mail === undefined) throw new Error('A route needs mail:send but the backend has no mail settings');
    statements.push(
      new iam.PolicyStatement({
        sid: 'SendVerificationMail',
        actions: ['ses:SendEmail'],
        resources: [mail.identityArn, mail.configurationSetArn],
        conditions: { StringEquals: { 'ses:FromAddress': mail.fromAddress } },
      }),
    );
    environment[SETTINGS.mailFrom] = mail.mailFrom;
    environment[SETTINGS.sesConfigurationSet] = mail.configurationSetName;
  }
  return { statements, environment };
}
