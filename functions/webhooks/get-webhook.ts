import { NotFoundError } from '../../shared/domain/errors';
import { memberRoute } from '../../shared/http/member-handler';
import { json } from '../../shared/http/responses';
import { webhookStore } from '../../shared/wiring/notifications';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const webhooks = webhookStore();

/** `GET /v1/account/webhook`: the URL and when it was set; never the secret. */
export const handler = memberRoute(accounts, async ({ actor }) => {
  const webhook = await webhooks.get(actor.accountId);
  if (webhook === undefined) throw new NotFoundError('This account has no webhook');
  return json(200, { webhook: { url: webhook.url, createdAt: webhook.createdAt } });
});
