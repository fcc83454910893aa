import { VerificationCodeSender } from '../domain/code-sender';
import { KeyLifecycle } from '../domain/key-lifecycle';
import { VerificationService } from '../domain/verifications';
import { countMetric, METRICS } from '../metrics';
import { auditEvents, auditLog } from './audit';
import { mailer } from './mail';
import { securityNotifier } from './notifications';
import { once } from './once';
import { pepperVault } from './pepper';
import { accountStore, keyStore, verificationStore } from './stores';

/** Emailed-code verification, the code sender, and the key changes they guard. */
export const verificationService = /* @__PURE__ */ once(
  () =>
    new VerificationService({
      store: verificationStore(),
      hasher: pepperVault(),
      audit: auditLog(),
      events: auditEvents(),
      onMemberLocked: () => countMetric(METRICS.membersLocked),
    }),
);

export const keyLifecycle = /* @__PURE__ */ once(
  () =>
    new KeyLifecycle({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      hasher: pepperVault(),
      events: auditEvents(),
      notifier: securityNotifier(),
    }),
);

export const verificationCodeSender = /* @__PURE__ */ once(
  () =>
    new VerificationCodeSender({
      keys: keyStore(),
      accounts: accountStore(),
      verifications: verificationService(),
      mailer: mailer(),
    }),
);
