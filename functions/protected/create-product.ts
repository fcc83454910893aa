import { z } from 'zod';
import { systemClock } from '../../shared/domain/ports';
import { createProduct, toPublicProduct } from '../../shared/domain/products';
import { apiKeyCaller, requirePermission, requireSite } from '../../shared/http/api-key-context';
import { httpHandler } from '../../shared/http/http-handler';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { productStore } from './protected-services';

const products = productStore();

const newProductSchema = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200, 'name must be at most 200 characters'),
  priceCents: z
    .number()
    .int('priceCents must be a whole number of cents')
    .min(0, 'priceCents must not be negative')
    .max(100_000_000_00, 'priceCents is too large'),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD'),
});

export const handler = httpHandler(async (event) => {
  const caller = apiKeyCaller(event);
  requirePermission(caller, 'stores', 'write');
  const siteId = requireSite(caller);
  const input = parseJsonBody(event, newProductSchema);
  const product = await createProduct(products, { ...caller, siteId }, input, systemClock.now());
  return json(201, { product: toPublicProduct(product) });
});
