import { resolveActor } from '../../shared/domain/actors';
import { NotFoundError } from '../../shared/domain/errors';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore, webhookStore } from '../../shared/services';

const accounts = accountStore();
const webhooks = webhookStore();

/** `GET /v1/account/webhook`: the URL and when it was set; never the secret. */
export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event));
  const webhook = await webhooks.get(actor.accountId);
  if (webhook === undefined) throw new NotFoundError('This account has no webhook');
  return json(200, { webhook: { url: webhook.url, createdAt: webhook.createdAt } });
});
