import { toPublicProduct } from '../../shared/domain/products';
import { apiKeyCaller, requirePermission, requireSite } from '../../shared/http/api-key-context';
import { httpHandler } from '../../shared/http/http-handler';
import { json } from '../../shared/http/responses';
import { productStore } from './protected-services';

const products = productStore();

export const handler = httpHandler(async (event) => {
  const caller = apiKeyCaller(event);
  requirePermission(caller, 'stores', 'read');
  const list = await products.listBySite(caller.accountId, requireSite(caller));
  return json(200, { products: list.map(toPublicProduct) });
});
