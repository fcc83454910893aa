import { NotFoundError } from '../../shared/domain/errors';
import { apiKeyCaller, requirePermission } from '../../shared/http/api-key-context';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();

export const handler = httpHandler(async (event) => {
  const caller = apiKeyCaller(event);
  requirePermission(caller, 'sites.list', 'read');
  const account = await accounts.getAccount(caller.accountId);
  if (account === undefined) throw new NotFoundError('Account not found');
  return json(200, { sites: account.sites.map(({ siteId, name }) => ({ siteId, name })) });
});
