import * as z from 'zod/mini';
import './zod-messages';
import { newKeyId } from './ids';

/** A product in a site's store: the sample protected API's data. */
export interface Product {
  readonly productId: string;
  readonly accountId: string;
  readonly siteId: string;
  readonly name: string;
  readonly priceCents: number;
  /** ISO 4217, upper case. */
  readonly currency: string;
  readonly createdAt: string;
  /** The API key that created it: an audit trail, never a secret. */
  readonly createdByKeyId: string;
}

/** `POST /v1/stores/products`: the body the sample protected API validates at the edge. */
export const newProductSchema = z.strictObject({
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'name must not be empty'),
      z.maxLength(200, 'name must be at most 200 characters'),
    ),
  priceCents: z
    .number()
    .check(
      z.int('priceCents must be a whole number of cents'),
      z.minimum(0, 'priceCents must not be negative'),
      z.maximum(100_000_000_00, 'priceCents is too large'),
    ),
  currency: z.string().check(z.regex(/^[A-Z]{3}$/, 'currency must be an ISO 4217 code such as USD')),
});

export type NewProduct = z.output<typeof newProductSchema>;

/** A site's store holds a small list; the sample API returns it whole. */
export const MAX_PRODUCTS_PER_SITE = 100;

export interface ProductStore {
  /** Fails with ConflictError if the product id is taken. */
  create(product: Product): Promise<void>;
  /** Oldest first, at most `MAX_PRODUCTS_PER_SITE`. */
  listBySite(accountId: string, siteId: string): Promise<Product[]>;
}

export interface ProductCaller {
  readonly accountId: string;
  readonly siteId: string;
  readonly keyId: string;
}

export async function createProduct(
  store: ProductStore,
  caller: ProductCaller,
  input: NewProduct,
  now: Date,
): Promise<Product> {
  // Product ids share the key id format: time-ordered, so a site's list reads oldest first.
  const product: Product = {
    productId: newKeyId(now),
    accountId: caller.accountId,
    siteId: caller.siteId,
    name: input.name,
    priceCents: input.priceCents,
    currency: input.currency,
    createdAt: now.toISOString(),
    createdByKeyId: caller.keyId,
  };
  await store.create(product);
  return product;
}

/** The public shape: the account and the creating key stay internal. */
export function toPublicProduct(product: Product) {
  return {
    productId: product.productId,
    siteId: product.siteId,
    name: product.name,
    priceCents: product.priceCents,
    currency: product.currency,
    createdAt: product.createdAt,
  };
}
