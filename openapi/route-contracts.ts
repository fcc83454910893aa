import type * as z from 'zod';
import {
  createApiKeySchema,
  duplicateApiKeySchema,
  emptyRequestSchema,
  listApiKeysQuerySchema,
  rotateApiKeySchema,
  updateApiKeySchema,
} from '../shared/domain/api-key-requests';
import { listAuditEventsQuerySchema } from '../shared/domain/audit-events';
import { leakReportSchema, MAX_REPORT_BYTES } from '../shared/domain/leak-reports';
import { strictSiteSchema } from '../shared/domain/onboarding';
import { newProductSchema } from '../shared/domain/products';
import { startVerificationSchema } from '../shared/domain/verification-intents';
import { putWebhookSchema } from '../shared/domain/webhooks';
import type { RouteId } from '../shared/routes';
import type { ErrorCode } from './error-codes';
import {
  accountSchema,
  apiKeyEnvelopeSchema,
  apiKeyPageSchema,
  auditEventPageSchema,
  issuedKeySchema,
  leakFeedbackSchema,
  permissionCatalogSchema,
  productEnvelopeSchema,
  productListSchema,
  sentCodeSchema,
  siteListSchema,
  webhookCreatedSchema,
  webhookEnvelopeSchema,
} from './schemas';

/**
 * What each route of the route table takes and answers, in the very zod schemas its handler
 * validates with. The route table says who may call (JWT or API key, which permission, account or
 * site scope); this says what goes over the wire. The description is generated from the two, and a
 * route without an entry here fails the type check.
 */
export interface RouteContract {
  readonly summary: string;
  readonly description?: string;
  readonly query?: z.core.$ZodObject;
  /** The JSON body schema the handler parses with (zod/mini in the functions, which bundle it). */
  readonly body?: z.core.$ZodType;
  /** Rotate and delete take no body; `{}` is accepted as the same thing. */
  readonly bodyOptional?: boolean;
  /** The largest body the handler reads. @default MAX_BODY_BYTES (16 KiB) */
  readonly maxBodyBytes?: number;
  /** The action spends an emailed code: `X-Verification-Id` and `X-Verification-Code`. */
  readonly verified?: boolean;
  /** The action honours `If-Match: "<version>"`. */
  readonly ifMatch?: boolean;
  readonly success: {
    readonly status: 200 | 201 | 204;
    readonly description: string;
    readonly body?: z.ZodType;
    /** The response carries `ETag: "<version>"` of the key. */
    readonly etag?: boolean;
  };
  /** The error codes the route's own logic answers with, beyond those its inputs and auth imply. */
  readonly errors: readonly ErrorCode[];
}

export const ROUTE_CONTRACTS: Readonly<Record<RouteId, RouteContract>> = {
  GetAccount: {
    summary: "The signed-in user's account",
    description: 'The account id, the masked linked address and the sites.',
    success: { status: 200, description: 'The account.', body: accountSchema },
    errors: ['no_account', 'not_found'],
  },
  ListPermissions: {
    summary: 'The permission catalog',
    success: { status: 200, description: 'Every permission a key can hold.', body: permissionCatalogSchema },
    errors: [],
  },
  ListApiKeys: {
    summary: "List the account's API keys",
    description:
      "Newest first, one page at a time. Pass `nextCursor` back as `cursor` for the next page. Cursors are signed (HMAC) and bound to the caller's account and this list: an altered, forged or borrowed one is 400 `invalid_cursor`.",
    query: listApiKeysQuerySchema,
    success: { status: 200, description: 'One page of keys.', body: apiKeyPageSchema },
    errors: ['no_account', 'invalid_cursor'],
  },
  GetApiKey: {
    summary: 'Show one API key',
    success: { status: 200, description: 'The key.', body: apiKeyEnvelopeSchema, etag: true },
    errors: ['no_account', 'not_found'],
  },
  StartVerification: {
    summary: 'Email a verification code for one change',
    description:
      "Names the action, the key and the exact body the action will carry; `request` is validated with the schema the action uses, so a body the action would refuse is refused before any code is sent. The code is emailed to the account's linked address and confirms exactly this request, once, for 10 minutes.",
    body: startVerificationSchema,
    success: { status: 201, description: 'A code was sent.', body: sentCodeSchema },
    errors: [
      'no_account',
      'unknown_permission',
      'unknown_site',
      'invalid_expiry',
      'not_found',
      'busy',
      'too_many_codes',
      'mailbox_limit',
      'member_locked',
      'code_not_sent',
    ],
  },
  CreateApiKey: {
    summary: 'Generate an API key',
    description:
      'By default the key never expires, reaches every site of the account (including sites added later) from any address, with read and write access for each permission. The token is in this response only.',
    body: createApiKeySchema,
    verified: true,
    success: { status: 201, description: 'The new key and its token.', body: issuedKeySchema, etag: true },
    errors: ['no_account', 'unknown_permission', 'unknown_site', 'invalid_expiry'],
  },
  RotateApiKey: {
    summary: "Rotate an API key's token",
    description:
      "Same key id, name, description, permissions and limits; a new token. The old one stops working at once, or after `gracePeriodSeconds` (never past the key's expiry); a second rotation ends an earlier grace period at once.",
    body: rotateApiKeySchema,
    bodyOptional: true,
    verified: true,
    ifMatch: true,
    success: { status: 200, description: 'The key and its new token.', body: issuedKeySchema, etag: true },
    errors: ['no_account', 'not_found', 'precondition_failed', 'version_conflict'],
  },
  DuplicateApiKey: {
    summary: 'Duplicate an API key',
    description:
      'A new key (new id and token); every field left out (permissions, description, expiresAt, siteIds, allowedIps) is copied from the source key; `null` or `[]` lifts a limit.',
    body: duplicateApiKeySchema,
    verified: true,
    success: { status: 201, description: 'The new key and its token.', body: issuedKeySchema, etag: true },
    errors: ['no_account', 'unknown_permission', 'unknown_site', 'invalid_expiry', 'not_found'],
  },
  UpdateApiKey: {
    summary: 'Edit an API key',
    description:
      'At least one of name, description, permissions, expiresAt, siteIds, allowedIps; `null` or `[]` lifts a limit. The token keeps working.',
    body: updateApiKeySchema,
    verified: true,
    ifMatch: true,
    success: { status: 200, description: 'The edited key.', body: apiKeyEnvelopeSchema, etag: true },
    errors: [
      'no_account',
      'unknown_permission',
      'unknown_site',
      'invalid_expiry',
      'not_found',
      'precondition_failed',
      'version_conflict',
    ],
  },
  DeleteApiKey: {
    summary: 'Delete an API key',
    description: 'The token stops working at once; later calls about the key are 404.',
    body: emptyRequestSchema,
    bodyOptional: true,
    verified: true,
    ifMatch: true,
    success: { status: 204, description: 'Deleted.' },
    errors: ['no_account', 'not_found', 'precondition_failed', 'version_conflict'],
  },
  ListAuditEvents: {
    summary: "The account's audit log",
    description:
      "Every key event and every verification event, newest first, one page at a time; filter by `keyId` and `type`. Cursors are signed and bound to the account and to the filters they were issued with: send the same `keyId` and `type` with a cursor, or get 400 `invalid_cursor`. Events are kept a year by default (the table's TTL removes them).",
    query: listAuditEventsQuerySchema,
    success: { status: 200, description: 'One page of events.', body: auditEventPageSchema },
    errors: ['no_account', 'invalid_cursor'],
  },
  GetWebhook: {
    summary: "The account's webhook",
    success: { status: 200, description: 'The webhook URL; never its secret.', body: webhookEnvelopeSchema },
    errors: ['no_account', 'not_found'],
  },
  PutWebhook: {
    summary: "Set the account's webhook",
    description:
      'An https URL that receives every key event and expiry reminder, signed per Standard Webhooks. Replaces any earlier URL and secret; the new secret is in this response only.',
    body: putWebhookSchema,
    success: { status: 200, description: 'The webhook and its secret.', body: webhookCreatedSchema },
    errors: ['no_account', 'invalid_webhook_url'],
  },
  DeleteWebhook: {
    summary: "Remove the account's webhook",
    success: { status: 204, description: 'Removed; nothing more is delivered.' },
    errors: ['no_account', 'not_found'],
  },
  ReportTokenLeak: {
    summary: 'Report leaked tokens (secret-scanning partner format)',
    description:
      "Public: no JWT, but the raw body must be signed (ECDSA P-256 / SHA-256) by a reporter key the stack trusts. A live token's key is deleted at once and the account is mailed. See docs/secret-scanning.md.",
    body: leakReportSchema,
    maxBodyBytes: MAX_REPORT_BYTES,
    success: { status: 200, description: 'The feedback array.', body: leakFeedbackSchema },
    errors: ['too_many_tokens'],
  },
  ListSites: {
    summary: "The sites of the key's account (sample protected API)",
    success: { status: 200, description: 'The sites.', body: siteListSchema },
    errors: ['not_found'],
  },
  AddSite: {
    summary: "Add (or rename) a site of the key's account (sample protected API)",
    description:
      'The account-level write of the sample API, under `accounts.manage`. Keys whose `siteIds` is `null` reach the new site at once.',
    body: strictSiteSchema,
    success: { status: 201, description: "The account's sites.", body: siteListSchema },
    errors: [],
  },
  ListProducts: {
    summary: "A site's products (sample protected API)",
    success: { status: 200, description: "The site's products, oldest first.", body: productListSchema },
    errors: [],
  },
  CreateProduct: {
    summary: "Add a product to a site's store (sample protected API)",
    body: newProductSchema,
    success: { status: 201, description: 'The new product.', body: productEnvelopeSchema },
    errors: [],
  },
};
