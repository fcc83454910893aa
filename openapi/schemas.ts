import * as z from 'zod';
import { SITE_ID_PATTERN } from '../shared/domain/accounts';
import { DESCRIPTION_MAX, NAME_MAX, type PublicApiKey } from '../shared/domain/api-keys';
import { AUDIT_EVENT_TYPES } from '../shared/domain/audit-events';
import type { SentCode } from '../shared/domain/code-sender';
import { ACCOUNT_ID_PATTERN, KEY_ID_PATTERN, VERIFICATION_ID_PATTERN } from '../shared/domain/ids';
import type { toPublicProduct } from '../shared/domain/products';
import { TOKEN_PATTERN } from '../shared/domain/token';
import { type ErrorCode, statusOf } from './error-codes';

/**
 * The response bodies, as zod schemas registered as components. The handlers build these shapes
 * (`toPublicApiKey`, `toPublicProduct`, ...); the contract tests hold every response the tests
 * receive against these schemas, so a field added to a response without being added here fails.
 */
const timestamp = z.iso.datetime({ offset: true });

export const keyIdSchema = z
  .string()
  .regex(KEY_ID_PATTERN)
  .meta({ id: 'KeyId', description: '26 lowercase Crockford base32 characters, time-ordered.' });

export const apiKeySchema = z
  .object({
    keyId: keyIdSchema,
    name: z.string().min(1).max(NAME_MAX),
    description: z.string().max(DESCRIPTION_MAX).meta({ description: '`""` when none.' }),
    permissions: z.array(z.string()).meta({
      description:
        'Grants: a permission id from `GET /v1/permissions` (read and write) or `<id>:read` (read only), normalised: required ones added, duplicates removed, catalog order.',
    }),
    siteIds: z.array(z.string().regex(SITE_ID_PATTERN)).nullable().meta({
      description: '`null`: every site of the account, including sites added later; else the chosen sites.',
    }),
    expiresAt: timestamp.nullable().meta({ description: '`null`: never expires.' }),
    status: z.enum(['active', 'expiring', 'expired']).meta({
      description: '`expiring`: expires within 7 days.',
    }),
    allowedIps: z.array(z.string()).max(20).meta({
      description: 'Canonical CIDR ranges the caller must call from; empty: any address.',
    }),
    graceEndsAt: timestamp.nullable().meta({
      description:
        'After a rotation with a grace period, when the replaced token stops working; else `null`.',
    }),
    createdAt: timestamp,
    updatedAt: timestamp,
    lastUsedAt: timestamp.nullable().meta({
      description: "When the authorizer last accepted the key's token (updated every few minutes at most).",
    }),
  })
  .meta({ id: 'ApiKey', description: 'An API key. It never includes its token.' });

export const tokenSchema = z.string().regex(TOKEN_PATTERN).meta({
  id: 'Token',
  description:
    'The API key token, `lk_<keyId>_<secret><checksum>`. Shown once: Latchkey stores only an HMAC of it.',
});

export const issuedKeySchema = z
  .object({ apiKey: apiKeySchema, token: tokenSchema })
  .meta({ id: 'IssuedApiKey', description: 'A key and its token; the only responses that carry a token.' });

export const apiKeyEnvelopeSchema = z.object({ apiKey: apiKeySchema }).meta({ id: 'ApiKeyEnvelope' });

export const apiKeyPageSchema = z
  .object({
    apiKeys: z.array(apiKeySchema),
    nextCursor: z.string().optional().meta({
      description:
        'Pass back unchanged as `cursor` for the next page (signed, bound to the account and this list); absent on the last page.',
    }),
  })
  .meta({ id: 'ApiKeyPage', description: 'One page of keys, newest first.' });

export const permissionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    scope: z.enum(['account', 'site']).meta({
      description: '`account`: acts on account-level data; `site`: a caller names one site per call.',
    }),
    required: z.boolean().meta({ description: 'Always granted; cannot be removed from a key.' }),
    offersReadOnly: z.boolean().meta({ description: 'Whether a key may hold it read-only, as `<id>:read`.' }),
  })
  .meta({ id: 'Permission' });

export const permissionCatalogSchema = z
  .object({ permissions: z.array(permissionSchema) })
  .meta({ id: 'PermissionCatalog' });

export const siteSchema = z
  .object({ siteId: z.string().regex(SITE_ID_PATTERN), name: z.string() })
  .meta({ id: 'Site' });

export const accountIdSchema = z
  .string()
  .regex(ACCOUNT_ID_PATTERN)
  .meta({ id: 'AccountId', description: 'What protected API callers send in `x-account-id`.' });

export const accountSchema = z
  .object({
    accountId: accountIdSchema,
    email: z.string().meta({ description: 'The linked address, masked: `j***@example.com`.' }),
    sites: z.array(siteSchema),
  })
  .meta({ id: 'Account' });

export const sentCodeSchema = z
  .object({
    verificationId: z.string().regex(VERIFICATION_ID_PATTERN).meta({
      description: 'Send it back in `X-Verification-Id` with the action.',
    }),
    sentTo: z.string().meta({ description: 'The masked address the code was emailed to.' }),
    expiresAt: timestamp,
  })
  .meta({ id: 'SentCode' });

export const siteListSchema = z.object({ sites: z.array(siteSchema) }).meta({ id: 'SiteList' });

export const productSchema = z
  .object({
    productId: keyIdSchema,
    siteId: z.string(),
    name: z.string(),
    priceCents: z.number().int(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    createdAt: timestamp,
  })
  .meta({ id: 'Product' });

export const productListSchema = z.object({ products: z.array(productSchema) }).meta({ id: 'ProductList' });
export const productEnvelopeSchema = z.object({ product: productSchema }).meta({ id: 'ProductEnvelope' });

const nullableText = z.string().nullable();
const snapshotSchema = z.record(z.string(), z.unknown()).meta({
  description: "A key's shown fields: name, description, permissions and policies. Never a token or digest.",
});

export const auditEventSchema = z
  .object({
    eventId: keyIdSchema.meta({ description: 'Time-ordered; events sort newest first by id.' }),
    type: z.enum(AUDIT_EVENT_TYPES),
    occurredAt: timestamp,
    member: z
      .object({
        userId: z.string(),
        email: nullableText.meta({ description: 'Masked, from the sign-in token when it has one.' }),
      })
      .nullable()
      .meta({ description: '`null` when no member acted (a leak report).' }),
    keyId: keyIdSchema.nullable(),
    keyName: nullableText,
    changes: z
      .object({ before: snapshotSchema.optional(), after: snapshotSchema.optional() })
      .nullable()
      .meta({
        description:
          'Before and after for edits; after for new keys; before for deletions; `null` when a leak report ended a grace period (no visible field changed).',
      }),
    source: z.object({ ip: nullableText, userAgent: nullableText }),
    requestId: nullableText,
    details: z
      .record(z.string(), z.union([z.string(), z.number()]))
      .nullable()
      .meta({
        description:
          'The verified action; for `key.revoked_leak`, where the token was found (`url`, `source`, `tokenType`) and which token was revoked (`revokedToken`: `current` or `previous`). Never a secret.',
      }),
  })
  .meta({ id: 'AuditEvent', description: 'One audit event. Never a token, code, hash or pepper.' });

export const auditEventPageSchema = z
  .object({
    events: z.array(auditEventSchema),
    nextCursor: z.string().optional().meta({
      description:
        'Pass back unchanged as `cursor`, with the same filters, for the next page (signed, bound to the account, this list and its filters); absent on the last page.',
    }),
  })
  .meta({ id: 'AuditEventPage', description: 'One page of events, newest first.' });

export const webhookSchema = z
  .object({ url: z.string(), createdAt: timestamp })
  .meta({ id: 'Webhook', description: "The account's webhook. Never its secret." });

export const webhookEnvelopeSchema = z.object({ webhook: webhookSchema }).meta({ id: 'WebhookEnvelope' });

export const webhookCreatedSchema = z
  .object({
    webhook: webhookSchema,
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/)
      .meta({
        description: 'The Standard Webhooks signing secret. Shown in this response only.',
      }),
  })
  .meta({ id: 'WebhookCreated' });

export const leakFeedbackSchema = z
  .array(
    z.object({
      token_raw: z.string(),
      token_type: z.string(),
      label: z.enum(['true_positive', 'false_positive']),
    }),
  )
  .meta({
    id: 'LeakFeedback',
    description: "GitHub's feedback array: one element per reported token, in order.",
  });

/** `{error:{code,message,details}}` with the codes one route answers with one status. */
export function errorBodySchema(codes: readonly ErrorCode[]) {
  const [first, ...rest] = codes;
  if (first === undefined) throw new Error('An error response needs at least one code');
  return z.object({
    error: z.object({
      code: z.enum([first, ...rest]),
      message: z.string().meta({ description: 'Meant for people; may change.' }),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  });
}

/** Answers API Gateway itself gives (no route, authorizer refusal, crash): `{"message": "..."}`. */
export const gatewayMessageSchema = z
  .object({ message: z.string() })
  .meta({ id: 'GatewayMessage', description: "API Gateway's own answer, before or instead of a handler." });

export function codesWithStatus(codes: readonly ErrorCode[], status: number): ErrorCode[] {
  return codes.filter((code) => statusOf(code) === status);
}

/**
 * The response schemas above must describe exactly what the domain hands out: a field added to
 * `PublicApiKey` (or removed from it) without the same change here is a type error on these lines.
 */
/** Distributes over unions, so a nullable list (`readonly string[] | null`) is compared as one too. */
type Mutable<V> = V extends readonly (infer E)[] ? E[] : V;
type Plain<T> = { -readonly [K in keyof T]: Mutable<T[K]> };
type Describes<Schema, Domain> = [keyof Schema] extends [keyof Domain]
  ? [keyof Domain] extends [keyof Schema]
    ? Plain<Domain> extends Schema
      ? true
      : 'a field has another type'
    : 'a field of the domain is not described'
  : 'the schema describes a field the domain lacks';
export const RESPONSES_MATCH_DOMAIN: {
  apiKey: Describes<z.output<typeof apiKeySchema>, PublicApiKey>;
  product: Describes<z.output<typeof productSchema>, ReturnType<typeof toPublicProduct>>;
  sentCode: Describes<z.output<typeof sentCodeSchema>, SentCode>;
} = { apiKey: true, product: true, sentCode: true };
