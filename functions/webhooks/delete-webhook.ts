import { memberRoute } from '../../shared/http/member-handler';
import { noContent } from '../../shared/http/responses';
import { webhookStore } from '../../shared/wiring/notifications';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const webhooks = webhookStore();

/** `DELETE /v1/account/webhook`: stops deliveries; 404 when there is none. */
export const handler = memberRoute(accounts, async ({ actor }) => {
  await webhooks.delete(actor.accountId);
  return noContent();
});
