import { maskEmail } from '../../shared/domain/accounts';
import { accountOf, resolveActor } from '../../shared/domain/actors';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();

export const handler = httpHandler(async (event) => {
  const account = await accountOf(accounts, await resolveActor(accounts, callerId(event)));
  return json(200, { accountId: account.accountId, email: maskEmail(account.email), sites: account.sites });
});
