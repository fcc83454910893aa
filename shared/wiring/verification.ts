import { KeyLifecycle } from '../domain/key-lifecycle';
import { VerificationService } from '../domain/verifications';
import { countMetric, METRICS } from '../metrics';
import { once } from './once';
import { pepperRing } from './pepper';
import { accountStore, keyStore, verificationStore } from './stores';

/** Emailed-code verification, and the key changes it guards. */
export const verificationService = /* @__PURE__ */ once(
  () =>
    new VerificationService({
      store: verificationStore(),
      hasher: pepperRing(),
      onMemberLocked: () => countMetric(METRICS.membersLocked),
    }),
);

export const keyLifecycle = /* @__PURE__ */ once(
  () =>
    new KeyLifecycle({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      hasher: pepperRing(),
    }),
);
