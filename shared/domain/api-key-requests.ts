import { createHash } from 'node:crypto';
import * as z from 'zod';
import { DESCRIPTION_MAX, NAME_MAX } from './api-keys';
import { normalisePermissions, type PermissionId } from './permissions';
import type { VerifiedAction } from './ports';

/**
 * The bodies of the key actions, validated at the edge with these schemas, and their normal forms.
 * `POST /v1/verifications` validates its `request` with the very same schema the action will use,
 * so a request that would be refused is refused before any code is sent, and the code is bound to
 * the hash of the normal form, so two bodies that mean the same grant confirm each other.
 */
const name = z
  .string()
  .trim()
  .min(1, 'name must not be empty')
  .max(NAME_MAX, `name must be at most ${NAME_MAX} characters`);
const description = z
  .string()
  .trim()
  .max(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`);
const permissions = z.array(z.string().min(1).max(64)).max(64);

export const createApiKeySchema = z.strictObject({
  name,
  description: description.optional(),
  permissions,
});

export const duplicateApiKeySchema = z.strictObject({
  name,
  description: description.optional(),
  permissions: permissions.optional(),
});

export const updateApiKeySchema = z
  .strictObject({
    name: name.optional(),
    description: description.optional(),
    permissions: permissions.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: 'send at least one of name, description, permissions',
  });

/** `GET /v1/api-keys`: a page size and the `nextCursor` of the previous page. */
export const listApiKeysQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

/** Rotate and delete carry no body; an empty object is accepted as the same thing. */
export const emptyRequestSchema = z.strictObject({});

export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;
export type DuplicateApiKeyInput = z.output<typeof duplicateApiKeySchema>;
export type UpdateApiKeyInput = z.output<typeof updateApiKeySchema>;

export interface CreateApiKeyRequest {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionId[];
}

export interface DuplicateApiKeyRequest {
  readonly name: string;
  readonly description?: string | undefined;
  readonly permissions?: readonly PermissionId[] | undefined;
}

export interface UpdateApiKeyRequest {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly permissions?: readonly PermissionId[] | undefined;
}

export function normaliseCreateRequest(input: CreateApiKeyInput): CreateApiKeyRequest {
  return {
    name: input.name,
    description: input.description ?? '',
    permissions: normalisePermissions(input.permissions),
  };
}

export function normaliseDuplicateRequest(input: DuplicateApiKeyInput): DuplicateApiKeyRequest {
  return {
    name: input.name,
    description: input.description,
    permissions: input.permissions === undefined ? undefined : normalisePermissions(input.permissions),
  };
}

export function normaliseUpdateRequest(input: UpdateApiKeyInput): UpdateApiKeyRequest {
  return {
    name: input.name,
    description: input.description,
    permissions: input.permissions === undefined ? undefined : normalisePermissions(input.permissions),
  };
}

const keyIdField = z.string().min(1).max(64);

/** `POST /v1/verifications`: which action, on which key, with exactly which body. */
export const startVerificationSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('create'), request: createApiKeySchema }),
  z.strictObject({ action: z.literal('rotate'), keyId: keyIdField, request: emptyRequestSchema.optional() }),
  z.strictObject({ action: z.literal('duplicate'), keyId: keyIdField, request: duplicateApiKeySchema }),
  z.strictObject({ action: z.literal('update'), keyId: keyIdField, request: updateApiKeySchema }),
  z.strictObject({ action: z.literal('delete'), keyId: keyIdField, request: emptyRequestSchema.optional() }),
]);

export type StartVerificationInput = z.output<typeof startVerificationSchema>;

/** What a code confirms: the action, the key (none for create) and the normalised body. */
export interface Intent {
  readonly action: VerifiedAction;
  readonly keyId?: string | undefined;
  readonly request:
    | CreateApiKeyRequest
    | DuplicateApiKeyRequest
    | UpdateApiKeyRequest
    | Record<string, never>;
}

export function intentOf(input: StartVerificationInput): Intent {
  switch (input.action) {
    case 'create':
      return { action: 'create', request: normaliseCreateRequest(input.request) };
    case 'duplicate':
      return { action: 'duplicate', keyId: input.keyId, request: normaliseDuplicateRequest(input.request) };
    case 'update':
      return { action: 'update', keyId: input.keyId, request: normaliseUpdateRequest(input.request) };
    case 'rotate':
    case 'delete':
      return { action: input.action, keyId: input.keyId, request: {} };
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
