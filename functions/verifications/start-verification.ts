import { resolveActor } from '../../shared/domain/actors';
import { startVerificationSchema } from '../../shared/domain/api-key-requests';
import { httpHandler } from '../../shared/http/http-handler';
import { callerDetails, callerId, parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore, verificationCodeSender } from '../../shared/services';

const accounts = accountStore();
const codes = verificationCodeSender();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  const body = parseJsonBody(event, startVerificationSchema);
  const sent = await codes.sendCode(actor, body);
  countMetric(METRICS.codesSent);
  return json(201, sent);
});
