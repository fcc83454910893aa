import { optionalEnv, SETTINGS } from '../config';
import { parseReporterKeys } from '../domain/leak-reports';
import { LeakReportService } from '../domain/leak-revocations';
import { auditEvents } from './audit';
import { securityNotifier } from './notifications';
import { once } from './once';
import { pepperVault } from './pepper';
import { keyStore } from './stores';

/** The trusted reporter keys; none configured means no report is heard. */
export const leakReporterKeys = /* @__PURE__ */ once(() => {
  const json = optionalEnv(SETTINGS.leakReporterKeys);
  return json === undefined ? [] : parseReporterKeys(json, SETTINGS.leakReporterKeys);
});

export const leakReportService = /* @__PURE__ */ once(
  () =>
    new LeakReportService({
      keys: keyStore(),
      tokens: pepperVault(),
      events: auditEvents(),
      notifier: securityNotifier(),
    }),
);
