import { CustomResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as cr from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { SETTINGS } from '../../shared/config';
import { pepperEncryptionContext } from '../../shared/domain/pepper';
import { grantStatement } from './grant-statement';
import { LatchkeyFunction } from './latchkey-function';

/** The purpose every pepper's encryption context carries; the IAM conditions match it. */
export const PEPPER_PURPOSE = pepperEncryptionContext(1).purpose;

/** An existing pepper, for a team that attaches the authorizer in another stack. */
export interface LatchkeyPepperAttributes {
  /** The KMS key the pepper data keys are encrypted under. */
  readonly key: kms.IKey;
  /** `LATCHKEY_PEPPERS`: JSON of version -> base64 ciphertext (a token until deploy time). */
  readonly peppersJson: string;
}

/** The pepper as functions consume it, made here or imported: its key, ciphertexts and grant. */
export abstract class LatchkeyPepperBase extends Construct {
  abstract readonly key: kms.IKey;
  abstract readonly peppersJson: string;

  /** kms:Decrypt of the pepper, only under the pepper's encryption context. */
  grantDecrypt(grantee: iam.IGrantable): iam.Grant {
    return grantStatement('PepperDecrypt', {
      grantee,
      actions: ['kms:Decrypt'],
      resourceArns: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:purpose': PEPPER_PURPOSE } },
    });
  }

  /** The settings a function that hashes or verifies needs beside `grantDecrypt`. */
  get settings(): Record<string, string> {
    return {
      [SETTINGS.peppers]: this.peppersJson,
      [SETTINGS.pepperKmsKeyId]: this.key.keyArn,
      [SETTINGS.keyProvider]: 'kms',
    };
  }
}

export interface LatchkeyPepperProps {
  /**
   * The pepper versions to keep. The highest hashes new tokens; older ones still verify existing
   * keys. Rotate by appending a version (e.g. `[1, 2]`) and deploying; drop a version only once no
   * key is hashed with it. Existing versions are never regenerated.
   * @default [1]
   */
  readonly versions?: readonly number[];
  /**
   * What happens to the pepper key when the stack is deleted. Deleting it makes every stored token
   * hash unverifiable.
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;
}

/**
 * The token pepper: a KMS key (rotation on) and, per version, a 256-bit data key made at deploy time
 * by GenerateDataKeyWithoutPlaintext. Only ciphertext passes through CloudFormation; functions
 * receive it in LATCHKEY_PEPPERS and decrypt it in memory with kms:Decrypt under the encryption
 * context `{purpose: 'latchkey-token-pepper', pepperVersion}`.
 */
export class LatchkeyPepper extends LatchkeyPepperBase {
  static fromPepperAttributes(
    scope: Construct,
    id: string,
    attributes: LatchkeyPepperAttributes,
  ): LatchkeyPepperBase {
    return new ImportedLatchkeyPepper(scope, id, attributes);
  }

  readonly key: kms.Key;
  readonly versions: readonly number[];
  /** `LATCHKEY_PEPPERS` for the functions: JSON of version -> base64 ciphertext. */
  readonly peppersJson: string;

  constructor(scope: Construct, id: string, props: LatchkeyPepperProps = {}) {
    super(scope, id);
    const versions = [...(props.versions ?? [1])].sort((a, b) => a - b);
    if (versions.length === 0) throw new Error('LatchkeyPepper needs at least one version');
    if (versions.some((v) => !Number.isInteger(v) || v < 1)) {
      throw new Error('LatchkeyPepper versions must be positive integers');
    }
    if (new Set(versions).size !== versions.length) throw new Error('LatchkeyPepper versions must be unique');
    this.versions = versions;

    this.key = new kms.Key(this, 'Key', {
      description: 'Latchkey: encrypts the token pepper data keys',
      enableKeyRotation: true,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });

    const generator = new LatchkeyFunction(this, 'Generator', {
      handlerFile: 'functions/pepper/generate-pepper.ts',
      description: 'Latchkey: creates pepper data keys at deploy time (ciphertext only)',
      timeout: Duration.seconds(30),
      tracing: false,
    });
    generator.addToRolePolicy(
      new iam.PolicyStatement({
        sid: 'GeneratePepperDataKey',
        actions: ['kms:GenerateDataKeyWithoutPlaintext'],
        resources: [this.key.keyArn],
        conditions: { StringEquals: { 'kms:EncryptionContext:purpose': PEPPER_PURPOSE } },
      }),
    );

    const frameworkLogs = new logs.LogGroup(this, 'ProviderLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const frameworkRole = new iam.Role(this, 'ProviderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Latchkey: CDK provider framework for the pepper custom resource',
    });
    frameworkRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [frameworkLogs.logGroupArn],
      }),
    );
    const provider = new cr.Provider(this, 'Provider', {
      onEventHandler: generator,
      frameworkOnEventRole: frameworkRole,
      logGroup: frameworkLogs,
    });
    const generatorResource = generator.node.defaultChild;
    if (!(generatorResource instanceof lambda.CfnFunction)) throw new Error('Unexpected generator resource');
    Validations.of(frameworkRole).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(generatorResource)}.Arn>:*]`,
      reason:
        'The CDK provider framework grants lambda:InvokeFunction on the generator and its versions ' +
        '(ARN:*); it can invoke nothing else.',
    });

    const ciphertexts: Record<string, string> = {};
    for (const version of versions) {
      const resource = new CustomResource(this, `Version${version}`, {
        serviceToken: provider.serviceToken,
        resourceType: 'Custom::LatchkeyPepper',
        properties: { KeyId: this.key.keyArn, Version: String(version) },
      });
      ciphertexts[String(version)] = resource.getAttString('Ciphertext');
    }
    this.peppersJson = Stack.of(this).toJsonString(ciphertexts);
  }
}

class ImportedLatchkeyPepper extends LatchkeyPepperBase {
  readonly key: kms.IKey;
  readonly peppersJson: string;

  constructor(scope: Construct, id: string, attributes: LatchkeyPepperAttributes) {
    super(scope, id);
    this.key = attributes.key;
    this.peppersJson = attributes.peppersJson;
  }
}
