import { addSite, strictSiteSchema } from '../../shared/domain/onboarding';
import { apiKeyCaller, requirePermission } from '../../shared/http/api-key-context';
import { httpHandler } from '../../shared/http/http-handler';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();

/**
 * The sample API's account-level write: adds a site (or renames one). Keys whose `siteIds` is null
 * reach the new site at once; keys limited to chosen sites do not.
 */
export const handler = httpHandler(async (event) => {
  const caller = apiKeyCaller(event);
  requirePermission(caller, 'accounts.manage', 'write');
  const site = parseJsonBody(event, strictSiteSchema);
  const account = await addSite(accounts, caller.accountId, site);
  return json(201, { sites: account.sites.map(({ siteId, name }) => ({ siteId, name })) });
});
