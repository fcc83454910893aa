import type { APIGatewaySimpleAuthorizerWithContextResult } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalKms } from '../../../bench/local-kms';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { DynamoKeyStore } from '../../../shared/adapters/dynamo-key-store';
import { mintKey } from '../../../shared/domain/key-records';
import { pepperEncryptionContext } from '../../../shared/domain/pepper';
import { hmac } from '../../../shared/domain/pepper-vault';
import { tableName } from '../../../shared/wiring/stores';
import { seedAccount } from '../../support/accounts';
import { rememberSecret } from '../../support/log-capture';
import { httpApiEvent, watchDynamo } from './support';

// The production pepper path: LATCHKEY_KEY_PROVIDER=kms. The authorizer's KMS call goes over HTTP to
// the KMS stand-in, so the test sees exactly what it sends. Settings are read at cold start.
const kms = await startLocalKms();
const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
const pepper = await kms.provider.decryptDataKey(ciphertext, pepperEncryptionContext(1));
Object.assign(process.env, {
  LATCHKEY_KEY_PROVIDER: 'kms',
  LATCHKEY_PEPPER_KMS_KEY_ID: 'alias/latchkey-pepper',
  AWS_ENDPOINT_URL_KMS: kms.endpoint,
  LATCHKEY_PEPPERS: JSON.stringify({ '1': Buffer.from(ciphertext).toString('base64') }),
});
// KMS refuses the decrypt the cold start begins and the first request's retry.
kms.failNext(2);
const { handler } = await import('../../../functions/authorizer/authorize');
const dynamo = watchDynamo();
afterAll(() => kms.close());

async function keyWithToken() {
  const { account } = await seedAccount();
  // Hashed with the pepper the KMS stand-in holds, as the management functions would hash it.
  const hasher = {
    hashToken: async (token: string) => ({ tokenHash: hmac(pepper, token), pepperVersion: 1 }),
  };
  const now = new Date();
  const { record, token } = await mintKey(hasher, {
    account,
    fields: { name: 'kms', description: '', permissions: ['sites.list'] },
    by: 'u',
    now,
  });
  rememberSecret(token);
  await new DynamoKeyStore(dynamoDocumentClient(), tableName()).create({
    ...record,
    lastUsedAt: now.toISOString(),
  });
  return { accountId: account.accountId, token };
}

const allowed = async (caller: { authorization: string; accountId: string }) =>
  (
    (await handler(
      httpApiEvent('GET /v1/sites', caller),
    )) as APIGatewaySimpleAuthorizerWithContextResult<unknown>
  ).isAuthorized;

describe('the pepper through KMS', () => {
  it('starts the decrypt at cold start, fails closed while KMS refuses, then decrypts once and verifies warm requests with no KMS call', async () => {
    const { accountId, token } = await keyWithToken();
    const caller = { authorization: token, accountId };
    // The cold start's decrypt is sent with no request to prompt it.
    await expect.poll(() => kms.requests.length).toBe(1);

    await expect(allowed(caller)).rejects.toThrow('Could not decrypt the pepper with KMS');
    expect(kms.requests).toHaveLength(2);

    dynamo.reset();
    expect(await allowed(caller)).toBe(true);
    expect(await allowed(caller)).toBe(true);
    expect(await allowed(caller)).toBe(true);
    expect(dynamo.calls).toEqual(['GetItem', 'GetItem', 'GetItem']);
    expect(kms.requests).toHaveLength(3);
    for (const request of kms.requests) {
      expect(request.target).toBe('TrentService.Decrypt');
      expect(request.authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=local\/\d{8}\/us-east-1\/kms\/aws4_request/,
      );
      expect(request.body).toEqual({
        CiphertextBlob: Buffer.from(ciphertext).toString('base64'),
        EncryptionContext: { purpose: 'latchkey-token-pepper', pepperVersion: '1' },
        KeyId: 'alias/latchkey-pepper',
      });
    }
  });

  it('a malformed token costs neither a DynamoDB nor a KMS call', async () => {
    const { accountId, token } = await keyWithToken();
    const before = kms.requests.length;
    dynamo.reset();
    expect(await allowed({ authorization: `${token.slice(0, -2)}xx`, accountId })).toBe(false);
    expect(dynamo.calls).toEqual([]);
    expect(kms.requests).toHaveLength(before);
  });
});
