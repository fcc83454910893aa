import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import './zod-messages';
import {
  type CreateApiKeyRequest,
  createApiKeySchema,
  duplicateApiKeySchema,
  emptyRequestSchema,
  normaliseCreateRequest,
  normaliseDuplicateRequest,
  normaliseRotateRequest,
  normaliseUpdateRequest,
  type ResolvedDuplicateRequest,
  type RotateApiKeyRequest,
  resolveDuplicate,
  rotateApiKeySchema,
  type UpdateApiKeyRequest,
  updateApiKeySchema,
} from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';

// What a verification code is bound to: the action, the key and the hash of the normalised body.

const keyIdField = z.string().check(z.minLength(1), z.maxLength(64));

/** `POST /v1/verifications`: which action, on which key, with exactly which body. */
export const startVerificationSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), request: createApiKeySchema }),
  z.strictObject({ action: z.literal('rotate'), keyId: keyIdField, request: z.optional(rotateApiKeySchema) }),
  z.strictObject({ action: z.literal('duplicate'), keyId: keyIdField, request: duplicateApiKeySchema }),
  z.strictObject({ action: z.literal('update'), keyId: keyIdField, request: updateApiKeySchema }),
  z.strictObject({ action: z.literal('delete'), keyId: keyIdField, request: z.optional(emptyRequestSchema) }),
]);

export type StartVerificationInput = z.output<typeof startVerificationSchema>;

/** What a code confirms: the action, the key (none for create) and the normalised body. */
export type Intent =
  | { readonly action: 'create'; readonly keyId?: undefined; readonly request: CreateApiKeyRequest }
  | { readonly action: 'duplicate'; readonly keyId: string; readonly request: ResolvedDuplicateRequest }
  | { readonly action: 'update'; readonly keyId: string; readonly request: UpdateApiKeyRequest }
  | { readonly action: 'rotate'; readonly keyId: string; readonly request: RotateApiKeyRequest }
  | { readonly action: 'delete'; readonly keyId: string; readonly request: Record<string, never> };

/**
 * The intent of a code request. `key` is the caller's own key the action names (loaded by the
 * caller); a duplicate's intent is resolved against it.
 */
export function intentOf(input: StartVerificationInput, key?: ApiKeyRecord): Intent {
  switch (input.action) {
    case 'create':
      return { action: 'create', request: normaliseCreateRequest(input.request) };
    case 'duplicate': {
      if (key === undefined) throw new Error('A duplicate intent needs its source key');
      const request = resolveDuplicate(normaliseDuplicateRequest(input.request), key);
      return { action: 'duplicate', keyId: input.keyId, request };
    }
    case 'update':
      return { action: 'update', keyId: input.keyId, request: normaliseUpdateRequest(input.request) };
    case 'rotate':
      return { action: 'rotate', keyId: input.keyId, request: normaliseRotateRequest(input.request) };
    case 'delete':
      return { action: 'delete', keyId: input.keyId, request: {} };
  }
}

/** SHA-256 (base64url) of the canonical JSON of a normalised body: keys sorted, undefined dropped. */
export function requestHash(request: object): string {
  return createHash('sha256').update(canonicalJson(request), 'utf8').digest('base64url');
}

export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item ?? null)).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}
