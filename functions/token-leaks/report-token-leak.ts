import {
  MAX_REPORT_BYTES,
  parseLeakReport,
  requireReporterSignature,
} from '../../shared/domain/leak-reports';
import { httpHandler } from '../../shared/http/http-handler';
import { header, rawBodyBytes, requestOrigin } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { leakReporterKeys, leakReportService } from '../../shared/wiring/leak-reports';

const reporters = leakReporterKeys();
const leaks = leakReportService();

/**
 * `POST /v1/token-leaks`: public, authenticated by the reporter's signature over the raw body, which
 * is checked before the body is even parsed. Nothing reported reaches a log: the access log line has
 * no body, and errors name fields, never values.
 */
export const handler = httpHandler(async (event) => {
  const body = rawBodyBytes(event, MAX_REPORT_BYTES) ?? Buffer.alloc(0);
  requireReporterSignature(
    reporters,
    body,
    header(event, 'Github-Public-Key-Identifier'),
    header(event, 'Github-Public-Key-Signature'),
  );
  const report = parseLeakReport(body.toString('utf8'));
  countMetric(METRICS.leakReports, {}, report.length);
  const feedback = await leaks.handleReport(report, requestOrigin(event));
  const revoked = feedback.filter((answer) => answer.label === 'true_positive').length;
  if (revoked > 0) countMetric(METRICS.keyEvents, { Event: 'revoked_leak' }, revoked);
  return json(200, feedback);
});
