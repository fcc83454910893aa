import { ValidationError } from '../../shared/domain/errors';
import { newWebhookSecret, putWebhookSchema, webhookUrlProblem } from '../../shared/domain/webhooks';
import { memberRoute } from '../../shared/http/member-handler';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { webhookStore, webhooksAllowLoopback } from '../../shared/wiring/notifications';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const webhooks = webhookStore();
const allowLoopback = webhooksAllowLoopback();

/**
 * `PUT /v1/account/webhook`: sets the account's webhook URL with a new signing secret, returned in
 * this response only (like a token). Setting it again replaces the URL and the secret.
 */
export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const { url } = parseJsonBody(event, putWebhookSchema);
  const problem = webhookUrlProblem(url, { allowLoopback });
  if (problem !== undefined)
    throw new ValidationError(`body.url: ${problem}`, { field: 'url' }, 'invalid_webhook_url');
  const secret = newWebhookSecret();
  const createdAt = new Date().toISOString();
  await webhooks.put({ accountId: actor.accountId, url, secret, createdAt });
  return json(200, { webhook: { url, createdAt }, secret });
});
