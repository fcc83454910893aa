import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import * as z from 'zod/mini';
import '../../shared/domain/zod-messages';
import { pepperEncryptionContext } from '../../shared/domain/pepper';

/** What the custom resource needs to make a pepper version. */
export interface PepperGenerator {
  generateEncryptedPepper(
    keyId: string,
    encryptionContext: Readonly<Record<string, string>>,
  ): Promise<Uint8Array>;
}

/** The provider framework's onEvent result. */
export interface PepperResourceResult {
  readonly PhysicalResourceId: string;
  readonly Data?: { readonly Ciphertext: string };
}

const properties = z.object({
  KeyId: z.string().check(z.minLength(1)),
  Version: z.coerce.number().check(z.int(), z.minimum(1)),
});

/**
 * The physical id carries the ciphertext (which is not secret: it is useless without KMS). So an
 * update that changes nothing about the pepper, e.g. a new provider function, returns the very same
 * ciphertext instead of minting a new pepper that would orphan every stored token hash.
 */
const PHYSICAL_ID = /^latchkey-pepper-v(\d+):([A-Za-z0-9+/]+={0,2})$/;

function physicalId(version: number, ciphertext: string): string {
  return `latchkey-pepper-v${version}:${ciphertext}`;
}

export async function onPepperEvent(
  event: CloudFormationCustomResourceEvent,
  generator: PepperGenerator,
): Promise<PepperResourceResult> {
  if (event.RequestType === 'Delete') {
    // Nothing to delete: the ciphertext lives only in configuration, and the KMS key is retained.
    return { PhysicalResourceId: event.PhysicalResourceId };
  }
  const { KeyId, Version } = properties.parse(event.ResourceProperties);

  if (event.RequestType === 'Update') {
    const before = properties.parse(event.OldResourceProperties);
    const existing = PHYSICAL_ID.exec(event.PhysicalResourceId);
    if (before.KeyId !== KeyId || before.Version !== Version || existing === null) {
      throw new Error(
        'A pepper version cannot change once created: every stored token hash depends on it. ' +
          'Add a new version to pepperVersions instead.',
      );
    }
    return { PhysicalResourceId: event.PhysicalResourceId, Data: { Ciphertext: existing[2] ?? '' } };
  }

  const encrypted = await generator.generateEncryptedPepper(KeyId, pepperEncryptionContext(Version));
  const ciphertext = Buffer.from(encrypted).toString('base64');
  return { PhysicalResourceId: physicalId(Version, ciphertext), Data: { Ciphertext: ciphertext } };
}
