import { resolveActor } from '../../shared/domain/actors';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId } from '../../shared/http/request';
import { noContent } from '../../shared/http/responses';
import { accountStore, webhookStore } from '../../shared/services';

const accounts = accountStore();
const webhooks = webhookStore();

/** `DELETE /v1/account/webhook`: stops deliveries; 404 when there is none. */
export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event));
  await webhooks.delete(actor.accountId);
  return noContent();
});
