import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, type JWK } from 'jose';
import * as z from 'zod';
import { LocalKeyProvider } from '../shared/adapters/local-key-provider';
import { pepperEncryptionContext } from '../shared/domain/pepper';

/**
 * The local stack's secrets, generated on first start and kept in the data dir so tokens and dev
 * JWTs survive a restart: the local key provider's master key (the stand-in for a KMS key), the
 * pepper encrypted under it (what a deployed stack configures as LATCHKEY_PEPPERS), and the ES256
 * key pair of the local OIDC issuer. The file is written owner-only.
 */
export const SECRETS_FILE = 'local-secrets.json';

const secretsSchema = z.object({
  masterKey: z.base64(),
  peppers: z.record(z.string().regex(/^[1-9][0-9]*$/), z.base64()),
  signingKey: z.looseObject({
    kty: z.literal('EC'),
    crv: z.literal('P-256'),
    d: z.string(),
    kid: z.string(),
  }),
});

export type LocalSecrets = z.infer<typeof secretsSchema>;

export async function loadOrCreateLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const path = join(dataDir, SECRETS_FILE);
  const existing = await readIfPresent(path);
  if (existing !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(existing);
    } catch {
      throw new Error(`${path} is not valid JSON; delete it to start over with new local secrets`);
    }
    const result = secretsSchema.safeParse(parsed);
    if (!result.success) {
      throw new Error(
        `${path} is not a Latchkey secrets file; delete it to start over with new local secrets`,
      );
    }
    return result.data;
  }
  const secrets = await newLocalSecrets();
  await mkdir(dataDir, { recursive: true });
  // Write then rename, so a crash mid-write never leaves a half file that blocks the next start.
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  await rename(temporary, path);
  return secrets;
}

async function newLocalSecrets(): Promise<LocalSecrets> {
  const masterKey = LocalKeyProvider.newMasterKey();
  const provider = new LocalKeyProvider(masterKey);
  const pepper = provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
  const { privateKey } = await generateKeyPair('ES256', { extractable: true });
  const jwk: JWK = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return {
    masterKey: Buffer.from(masterKey).toString('base64'),
    peppers: { '1': Buffer.from(pepper).toString('base64') },
    signingKey: { ...jwk, kty: 'EC', crv: 'P-256', d: String(jwk.d), kid, alg: 'ES256', use: 'sig' },
  };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}
