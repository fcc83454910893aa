import { startVerificationSchema } from '../../shared/domain/verification-intents';
import { memberRoute } from '../../shared/http/member-handler';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore } from '../../shared/wiring/stores';
import { verificationCodeSender } from '../../shared/wiring/verification';

const accounts = accountStore();
const codes = verificationCodeSender();

export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const body = parseJsonBody(event, startVerificationSchema);
  const sent = await codes.sendCode(actor, body);
  countMetric(METRICS.codesSent);
  return json(201, sent);
});
