import { countingDecryptFailures } from '../adapters/counted-decrypter';
import { KmsJsonDecrypter } from '../adapters/kms-json-decrypter';
import { LocalKeyProvider } from '../adapters/local-key-provider';
import { optionalEnv, requireEnv, SETTINGS } from '../config';
import { type DataKeyDecrypter, PepperRing, parsePepperConfig } from '../domain/pepper';
import { PepperVault } from '../domain/pepper-vault';
import { once } from './once';
import { serviceEndpoint, transport } from './transport';

/**
 * Who decrypts the pepper, chosen here and only here: KMS in AWS, the local key provider in local
 * mode and tests. KMS is reached through KmsJsonDecrypter over the signed-call transport
 * (env-transport.ts), so no function bundles the KMS client to decrypt the pepper.
 */
export const dataKeyDecrypter = /* @__PURE__ */ once((): DataKeyDecrypter => {
  // Read as a literal `process.env.` name, not through SETTINGS: the deployed bundles define it as
  // "kms" (FUNCTION_BUNDLING.define), so esbuild drops the local branch and the local key provider.
  const provider = process.env.LATCHKEY_KEY_PROVIDER || 'kms';
  if (provider === 'kms') {
    return countingDecryptFailures(
      new KmsJsonDecrypter(transport(), optionalEnv(SETTINGS.pepperKmsKeyId), serviceEndpoint('KMS')),
    );
  }
  if (provider === 'local') {
    return new LocalKeyProvider(Buffer.from(requireEnv(SETTINGS.localMasterKey), 'base64'));
  }
  throw new Error(`${SETTINGS.keyProvider} must be "kms" or "local", not "${provider}"`);
});

/** The authorizer's pepper: it only verifies tokens. */
export const pepperRing = /* @__PURE__ */ once(
  () => new PepperRing(parsePepperConfig(requireEnv(SETTINGS.peppers)), dataKeyDecrypter()),
);

/** The management functions' pepper: they also hash new tokens and codes, seal and derive keys. */
export const pepperVault = /* @__PURE__ */ once(
  () => new PepperVault(parsePepperConfig(requireEnv(SETTINGS.peppers)), dataKeyDecrypter()),
);
