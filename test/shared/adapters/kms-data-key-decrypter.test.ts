import { randomBytes } from 'node:crypto';
import { DecryptCommand, KMSClient } from '@aws-sdk/client-kms';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { KmsDataKeyDecrypter } from '../../../shared/adapters/kms-data-key-decrypter';
import { DependencyError } from '../../../shared/domain/errors';
import { PepperRing, pepperEncryptionContext } from '../../../shared/domain/pepper';

/** KMS is the one dependency without a local engine, so here (and only here) the client is mocked. */
const client = new KMSClient({ region: 'us-east-1' });
const kms = mockClient(client);
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

beforeEach(() => {
  kms.reset();
});

function decryptInputs() {
  return kms.commandCalls(DecryptCommand).map((call) => call.args[0].input);
}

describe('KmsDataKeyDecrypter', () => {
  it('sends one Decrypt with the ciphertext, the encryption context and the key id', async () => {
    const plaintext = randomBytes(32);
    kms.on(DecryptCommand).resolves({ Plaintext: plaintext, KeyId: KEY_ARN });
    const ciphertext = randomBytes(184);
    const decrypter = new KmsDataKeyDecrypter(client, KEY_ARN);

    const result = await decrypter.decryptDataKey(ciphertext, pepperEncryptionContext(3));

    expect(Buffer.from(result).equals(plaintext)).toBe(true);
    expect(decryptInputs()).toEqual([
      {
        CiphertextBlob: ciphertext,
        EncryptionContext: { purpose: 'latchkey-token-pepper', pepperVersion: '3' },
        KeyId: KEY_ARN,
      },
    ]);
  });

  it('leaves KeyId out when no key is configured', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: randomBytes(32) });
    const ciphertext = randomBytes(184);
    await new KmsDataKeyDecrypter(client).decryptDataKey(ciphertext, pepperEncryptionContext(1));
    expect(decryptInputs()).toEqual([
      {
        CiphertextBlob: ciphertext,
        EncryptionContext: { purpose: 'latchkey-token-pepper', pepperVersion: '1' },
      },
    ]);
  });

  it('turns a KMS error into a DependencyError that keeps the cause', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform kms:Decrypt'), {
      name: 'AccessDeniedException',
    });
    kms.on(DecryptCommand).rejects(denied);
    const error = await new KmsDataKeyDecrypter(client, KEY_ARN)
      .decryptDataKey(randomBytes(184), pepperEncryptionContext(1))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    if (!(error instanceof DependencyError))
      throw new Error(`expected a DependencyError, got ${String(error)}`);
    expect(error.message).not.toContain('kms:Decrypt');
    expect(error.cause).toMatchObject({ name: 'AccessDeniedException' });
  });

  it('refuses a response without a usable plaintext', async () => {
    kms.on(DecryptCommand).resolves({ Plaintext: new Uint8Array(8) });
    await expect(
      new KmsDataKeyDecrypter(client).decryptDataKey(randomBytes(184), pepperEncryptionContext(1)),
    ).rejects.toBeInstanceOf(DependencyError);
  });
});

describe('PepperRing over KMS', () => {
  const encrypted = new Map([
    [1, randomBytes(184)],
    [2, randomBytes(184)],
  ]);
  const peppers = new Map([
    [1, randomBytes(32)],
    [2, randomBytes(32)],
  ]);

  function answerByCiphertext() {
    kms.on(DecryptCommand).callsFake((input: { CiphertextBlob: Uint8Array }) => {
      for (const [version, blob] of encrypted) {
        if (Buffer.from(input.CiphertextBlob).equals(blob)) return { Plaintext: peppers.get(version) };
      }
      throw Object.assign(new Error('bad ciphertext'), { name: 'InvalidCiphertextException' });
    });
  }

  it('decrypts each pepper version once per process: warm calls make no KMS call', async () => {
    answerByCiphertext();
    const ring = new PepperRing({ encryptedPeppers: encrypted }, new KmsDataKeyDecrypter(client, KEY_ARN));
    const token = 'lk_example';

    const [first] = await Promise.all([
      ring.hashToken(token),
      ring.hashToken(token),
      ring.hashToken('other'),
    ]);
    expect(first.pepperVersion).toBe(2);
    expect(await ring.verifyToken(token, first)).toBe(true);
    expect(decryptInputs()).toHaveLength(1);
    expect(decryptInputs()[0]?.EncryptionContext).toEqual(pepperEncryptionContext(2));

    // An old digest makes the one decrypt of its own version, once.
    const old = new PepperRing(
      { encryptedPeppers: new Map([[1, encrypted.get(1) ?? new Uint8Array()]]) },
      {
        decryptDataKey: async () => peppers.get(1) ?? new Uint8Array(),
      },
    );
    const oldDigest = await old.hashToken(token);
    expect(await ring.verifyToken(token, oldDigest)).toBe(true);
    expect(await ring.verifyToken('wrong', oldDigest)).toBe(false);
    expect(decryptInputs().map((input) => input.EncryptionContext)).toEqual([
      pepperEncryptionContext(2),
      pepperEncryptionContext(1),
    ]);
  });

  it('forgets a failed decrypt, so the next request tries KMS again', async () => {
    kms
      .on(DecryptCommand)
      .rejectsOnce(Object.assign(new Error('slow down'), { name: 'ThrottlingException' }));
    const ring = new PepperRing({ encryptedPeppers: encrypted }, new KmsDataKeyDecrypter(client, KEY_ARN));
    await expect(ring.hashToken('t')).rejects.toBeInstanceOf(DependencyError);
    answerByCiphertext();
    expect((await ring.hashToken('t')).pepperVersion).toBe(2);
    await ring.hashToken('t');
    expect(decryptInputs()).toHaveLength(2);
  });
});
