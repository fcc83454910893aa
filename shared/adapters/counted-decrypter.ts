import type { DataKeyDecrypter } from '../domain/pepper';
import { countMetric, METRICS } from '../metrics';

/**
 * Counts failed pepper decryptions (metric `PepperDecryptFailures`), then fails exactly as the
 * wrapped decrypter did. KMS publishes no metric for a refused Decrypt, and a failure here means
 * every request of the function fails closed, so the alarm on it names the cause directly.
 */
export function countingDecryptFailures(decrypter: DataKeyDecrypter): DataKeyDecrypter {
  return {
    decryptDataKey: (ciphertext, encryptionContext) =>
      decrypter.decryptDataKey(ciphertext, encryptionContext).catch((error: unknown) => {
        countMetric(METRICS.pepperDecryptFailures);
        throw error;
      }),
  };
}
