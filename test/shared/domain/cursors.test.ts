import { afterAll, describe, expect, it } from 'vitest';
import { startLocalKms } from '../../../bench/local-kms';
import { dynamoClient } from '../../../shared/adapters/dynamo-client';
import { KmsJsonDecrypter } from '../../../shared/adapters/kms-json-decrypter';
import { CursorSigner } from '../../../shared/domain/cursors';
import { ValidationError } from '../../../shared/domain/errors';
import { pepperEncryptionContext } from '../../../shared/domain/pepper';
import { PepperVault } from '../../../shared/domain/pepper-vault';

/**
 * Cursor signing over the pepper as functions decrypt it (the real signed KMS call against the
 * recording KMS stand-in): cursors survive a pepper rotation, and the key is the pepper's own,
 * derived for cursors only.
 */
const kms = await startLocalKms();
afterAll(() => kms.close());
const KEY_ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const v1 = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
const v2 = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(2));
const ring = (versions: [number, Uint8Array][]) =>
  new PepperVault(
    { encryptedPeppers: new Map(versions) },
    new KmsJsonDecrypter(dynamoClient().config, KEY_ARN, kms.endpoint),
  );
const scope = { accountId: '0d3f2a1c-7e0b-4c5a-9f3e-000000000001', list: 'api-keys' };
const POSITION = '01jq3v6m9x8k2c4n7p5r1s0t2w';

async function refusal(work: Promise<unknown>): Promise<ValidationError> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ValidationError);
  return error as ValidationError;
}

describe('CursorSigner', () => {
  it('signs under the current pepper version and still opens cursors of an older version after a rotation', async () => {
    const before = new CursorSigner(ring([[1, v1]]));
    const cursor = await before.seal(POSITION, scope);
    expect(cursor).toMatch(/^1\.01jq3v6m9x8k2c4n7p5r1s0t2w\.[A-Za-z0-9_-]{43}$/);

    const rotated = new CursorSigner(
      ring([
        [1, v1],
        [2, v2],
      ]),
    );
    kms.requests.length = 0;
    expect(await rotated.open(cursor, scope)).toBe(POSITION);
    expect(await rotated.seal(POSITION, scope)).toMatch(/^2\./);
    expect(kms.requests.map((r) => r.body.EncryptionContext)).toEqual([
      pepperEncryptionContext(1),
      pepperEncryptionContext(2),
    ]);

    // Once version 1 is retired, its cursors are refused as such.
    const retired = new CursorSigner(ring([[2, v2]]));
    const error = await refusal(retired.open(cursor, scope));
    expect(error.code).toBe('invalid_cursor');
    expect(error.details).toEqual({ field: 'cursor', reason: 'unknown_key' });
  });

  it('binds the account and the list: neither can be shifted into the other', async () => {
    const signer = new CursorSigner(ring([[1, v1]]));
    const cursor = await signer.seal(POSITION, { accountId: 'ab', list: 'c' });
    for (const other of [
      { accountId: 'a', list: 'bc' },
      { accountId: 'ab', list: 'cd' },
      { accountId: 'abc', list: '' },
    ]) {
      expect((await refusal(signer.open(cursor, other))).details).toEqual({
        field: 'cursor',
        reason: 'bad_signature',
      });
    }
    for (const malformed of ['', 'x', `1.${POSITION}`, `1.${POSITION}.a.b`, `01.${POSITION}.x`, `1.A B.x`]) {
      expect((await refusal(signer.open(malformed, scope))).details, malformed).toEqual({
        field: 'cursor',
        reason: 'malformed',
      });
    }
  });
});
