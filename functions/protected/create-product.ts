import { systemClock } from '../../shared/domain/ports';
import { createProduct, newProductSchema, toPublicProduct } from '../../shared/domain/products';
import { apiKeyCaller, requirePermission, requireSite } from '../../shared/http/api-key-context';
import { httpHandler } from '../../shared/http/http-handler';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { productStore } from './protected-services';

const products = productStore();

export const handler = httpHandler(async (event) => {
  const caller = apiKeyCaller(event);
  requirePermission(caller, 'stores');
  const siteId = requireSite(caller);
  const input = parseJsonBody(event, newProductSchema);
  const product = await createProduct(products, { ...caller, siteId }, input, systemClock.now());
  return json(201, { product: toPublicProduct(product) });
});
