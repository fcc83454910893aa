import { maskEmail } from '../../shared/domain/accounts';
import { accountOf } from '../../shared/domain/actors';
import { memberRoute } from '../../shared/http/member-handler';
import { json } from '../../shared/http/responses';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();

export const handler = memberRoute(accounts, async ({ actor }) => {
  const account = await accountOf(accounts, actor);
  return json(200, { accountId: account.accountId, email: maskEmail(account.email), sites: account.sites });
});
