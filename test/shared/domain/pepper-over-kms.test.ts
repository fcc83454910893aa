import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { startLocalKms } from '../../../bench/local-kms';
import { dynamoClient } from '../../../shared/adapters/dynamo-client';
import { KmsJsonDecrypter } from '../../../shared/adapters/kms-json-decrypter';
import { DependencyError } from '../../../shared/domain/errors';
import { pepperEncryptionContext } from '../../../shared/domain/pepper';
import { PepperVault } from '../../../shared/domain/pepper-vault';

/**
 * The pepper ring over the real signed KMS call (KmsJsonDecrypter, the one KMS adapter every
 * function uses) against the recording KMS stand-in: one Decrypt per version per process, none
 * when warm, a failure forgotten, and the cold-start prefetch.
 */
const kms = await startLocalKms();
afterAll(() => kms.close());
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const encrypted = new Map([
  [1, kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1))],
  [2, kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(2))],
]);
const decrypter = () => new KmsJsonDecrypter(dynamoClient().config, KEY_ARN, kms.endpoint);
const decrypts = () => kms.requests.filter((r) => r.target === 'TrentService.Decrypt');

beforeEach(() => {
  kms.requests.length = 0;
});

describe('PepperVault over KMS', () => {
  it('decrypts each pepper version once per process, with its own context: warm calls make no KMS call', async () => {
    const ring = new PepperVault({ encryptedPeppers: encrypted }, decrypter());
    const [first] = await Promise.all([
      ring.hashToken('lk_a'),
      ring.hashToken('lk_a'),
      ring.hashToken('other'),
    ]);
    expect(first.pepperVersion).toBe(2);
    expect(await ring.verifyToken('lk_a', first)).toBe(true);
    expect(decrypts().map((r) => r.body)).toEqual([
      {
        CiphertextBlob: Buffer.from(encrypted.get(2) ?? []).toString('base64'),
        EncryptionContext: pepperEncryptionContext(2),
        KeyId: KEY_ARN,
      },
    ]);

    // A digest made under version 1 makes the one decrypt of its own version, once.
    const old = new PepperVault(
      { encryptedPeppers: new Map([[1, encrypted.get(1) ?? new Uint8Array()]]) },
      decrypter(),
    );
    const oldDigest = await old.hashToken('lk_a');
    kms.requests.length = 0;
    expect(await ring.verifyToken('lk_a', oldDigest)).toBe(true);
    expect(await ring.verifyToken('wrong', oldDigest)).toBe(false);
    expect(decrypts().map((r) => r.body.EncryptionContext)).toEqual([pepperEncryptionContext(1)]);
  });

  it('forgets a failed decrypt, so the next request tries KMS again', async () => {
    const ring = new PepperVault({ encryptedPeppers: encrypted }, decrypter());
    kms.failNext(1);
    await expect(ring.hashToken('t')).rejects.toBeInstanceOf(DependencyError);
    expect((await ring.hashToken('t')).pepperVersion).toBe(2);
    await ring.hashToken('t');
    expect(decrypts()).toHaveLength(2);
  });

  it('prepare() starts the decrypt at once; a failed one is retried on first use', async () => {
    const ring = new PepperVault({ encryptedPeppers: encrypted }, decrypter());
    ring.prepare();
    await expect.poll(() => decrypts().length).toBe(2);
    await ring.verifyToken('t', await ring.hashToken('t'));
    expect(decrypts()).toHaveLength(2);

    const single = new PepperVault(
      { encryptedPeppers: new Map([[2, encrypted.get(2) ?? new Uint8Array()]]) },
      decrypter(),
    );
    kms.failNext(1);
    single.prepare();
    await expect.poll(() => decrypts().length).toBe(3);
    expect((await single.hashToken('t')).pepperVersion).toBe(2);
    expect(decrypts()).toHaveLength(4);
  });
});
