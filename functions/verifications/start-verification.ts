import { resolveActor } from '../../shared/domain/actors';
import { startVerificationSchema } from '../../shared/domain/api-key-requests';
import { httpHandler } from '../../shared/http/http-handler';
import { callerDetails, callerId, parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore, verificationCodeSender } from '../../shared/services';

const accounts = accountStore();
const codes = verificationCodeSender();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  const body = parseJsonBody(event, startVerificationSchema);
  return json(201, await codes.sendCode(actor, body));
});
