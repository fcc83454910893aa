import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients';
import { DynamoKeyStore } from '../shared/adapters/dynamo-key-store';
import { newAccountId, newKeyId } from '../shared/domain/ids';
import { mintKey, reissueToken } from '../shared/domain/key-records';
import type { DataKeyDecrypter, PepperConfig } from '../shared/domain/pepper';
import { PepperVault } from '../shared/domain/pepper-vault';
import { generateToken } from '../shared/domain/token';
import type { BenchCase } from './plan';

/**
 * The keys the bench verifies and the cases it times. Two keys: a plain one, and one that uses
 * every limit at once (an expiry, chosen sites, a read-only grant, an address allowlist of 20
 * ranges, a rotation grace period), called with the replaced token so both digests are computed.
 * Each is still one read and no KMS call. Both are made by the record factory the lifecycle uses
 * and written by the key store, so the bench reads exactly the items the service writes.
 */
export async function benchCases(
  tableName: string,
  peppers: PepperConfig,
  decrypter: DataKeyDecrypter,
): Promise<BenchCase[]> {
  const vault = new PepperVault(peppers, decrypter);
  const store = new DynamoKeyStore(dynamoDocumentClient(), tableName);
  const account = {
    accountId: newAccountId(),
    sites: [
      { siteId: 'site-a', name: 'Site A' },
      { siteId: 'site-b', name: 'Site B' },
    ],
  };
  const accountId = account.accountId;
  const now = new Date();
  const inADay = new Date(now.getTime() + 24 * 3600 * 1000).toISOString();

  const plain = await mintKey(vault, {
    account,
    fields: { name: 'bench', description: '', permissions: ['sites.list', 'stores'] },
    by: 'bench',
    now,
  });
  await store.create(plain.record);
  const keyId = plain.record.keyId;
  const token = plain.token;

  const policyFirst = await mintKey(vault, {
    account,
    fields: {
      name: 'bench every policy',
      description: '',
      permissions: ['sites.list', 'stores:read'],
      allowedSiteIds: ['site-a'],
      expiresAt: inADay,
      // 19 ranges that miss and, last, the one the bench's source address is in.
      allowedIps: [...Array.from({ length: 19 }, (_, i) => `198.51.${i}.0/24`), '192.0.2.0/24'],
    },
    by: 'bench',
    now,
  });
  // Rotated with a grace period: the bench calls with the replaced token, so both digests are computed.
  const policy = await reissueToken(vault, policyFirst.record, {
    by: 'bench',
    now,
    previousValidUntil: inADay,
  });
  await store.create(policy.record);
  const policyKeyId = policy.record.keyId;
  const policyToken = policyFirst.token;
  // Used a moment ago: its first call here makes no lastUsedAt write, so the count is the read alone.
  await store.recordUse(policyKeyId, now.toISOString(), new Date(now.getTime() - 1).toISOString());

  const event = (authorization: string) => authorizerEvent(authorization, accountId);
  const lastChar = token.at(-1) === '0' ? '1' : '0';
  const unknownKeyId = newKeyId();
  return [
    // The floor reads what each authorizer case that reads does, the same key in the same process
    // rhythm: V8 optimises each process's copy of the SDK for the responses it has seen, so a floor
    // that only ever read one small item would run hotter code than the authorizer's copy, which
    // also parses the larger item and the empty answer. `floor` (the valid key) is the figure the
    // valid case is compared with.
    { name: 'floor', target: 'floor', event: { keyId }, expect: 'found' },
    { name: 'valid', target: 'authorizer', event: event(`Bearer ${token}`), expect: 'allow' },
    { name: 'malformed', target: 'authorizer', event: event('Bearer not-a-latchkey-token'), expect: 'deny' },
    {
      name: 'bad_checksum',
      target: 'authorizer',
      event: event(`Bearer ${token.slice(0, -1)}${lastChar}`),
      expect: 'deny',
    },
    // CRC32 is not a MAC: anyone can make a token with a valid checksum, and it costs one read.
    {
      name: 'wrong_secret',
      target: 'authorizer',
      event: event(`Bearer ${generateToken(keyId)}`),
      expect: 'deny',
    },
    {
      name: 'unknown_key',
      target: 'authorizer',
      event: event(`Bearer ${generateToken(unknownKeyId)}`),
      expect: 'deny',
    },
    { name: 'every_policy', target: 'authorizer', event: event(`Bearer ${policyToken}`), expect: 'allow' },
    // The floor's twins of wrong_secret (the valid key again), unknown_key and every_policy.
    { name: 'floor', target: 'floor', event: { keyId }, expect: 'found' },
    { name: 'floor_unknown_key', target: 'floor', event: { keyId: unknownKeyId }, expect: 'missing' },
    { name: 'floor_every_policy', target: 'floor', event: { keyId: policyKeyId }, expect: 'found' },
    // The transport floor reads the same keys in the same rhythm; `transport_floor` is the valid key.
    { name: 'transport_floor', target: 'transport_floor', event: { keyId }, expect: 'found' },
    { name: 'transport_floor', target: 'transport_floor', event: { keyId }, expect: 'found' },
    {
      name: 'transport_floor_unknown_key',
      target: 'transport_floor',
      event: { keyId: unknownKeyId },
      expect: 'missing',
    },
    {
      name: 'transport_floor_every_policy',
      target: 'transport_floor',
      event: { keyId: policyKeyId },
      expect: 'found',
    },
  ];
}

function authorizerEvent(authorization: string, accountId: string): APIGatewayRequestAuthorizerEventV2 {
  const routeKey = 'GET /v1/stores/products';
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/$default/GET/v1/stores/products',
    identitySource: [authorization, accountId],
    routeKey,
    rawPath: '/v1/stores/products',
    rawQueryString: '',
    cookies: [],
    headers: { authorization, 'x-account-id': accountId, 'x-site-id': 'site-a' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: 'GET',
        path: '/v1/stores/products',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'b',
      },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}
