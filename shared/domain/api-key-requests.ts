import * as z from 'zod/mini';
import './zod-messages';
import { SITE_ID_PATTERN } from './accounts';
import { type ApiKeyRecord, DESCRIPTION_MAX, NAME_MAX } from './api-keys';
import { parseCidr } from './cidr';
import { MAX_ALLOWED_IPS, MAX_GRACE_PERIOD_SECONDS } from './key-policies';
import { normalisePermissions, type PermissionGrant } from './permissions';
import { isPlainText, plainTextMessage } from './plain-text';

/**
 * The bodies of the key actions, validated at the edge with these schemas, and their normal forms.
 * `POST /v1/verifications` validates its `request` with the very same schema the action will use,
 * so a request that would be refused is refused before any code is sent, and the code is bound to
 * the hash of the normal form, so two bodies that mean the same grant confirm each other.
 */
const name = z
  .string()
  .check(
    z.trim(),
    z.minLength(1, 'name must not be empty'),
    z.maxLength(NAME_MAX, `name must be at most ${NAME_MAX} characters`),
    z.refine(isPlainText, plainTextMessage('name')),
  );
const description = z
  .string()
  .check(
    z.trim(),
    z.maxLength(DESCRIPTION_MAX, `description must be at most ${DESCRIPTION_MAX} characters`),
    z.refine(isPlainText, plainTextMessage('description')),
  );
const permissions = z.array(z.string().check(z.minLength(1), z.maxLength(64))).check(z.maxLength(64));
/** Whether it is still ahead is checked against the clock when the code is sent and when it is spent. */
const expiresAt = z.nullable(
  z.pipe(
    z.iso.datetime({ message: 'expiresAt must be an ISO-8601 UTC time such as 2030-01-31T00:00:00Z' }),
    z.transform((text: string) => new Date(text).toISOString()),
  ),
);
/** null: every site of the account, including sites added later. Whether they are the account's is checked with the account. */
const siteIds = z.nullable(
  z.pipe(
    z
      .array(
        z
          .string()
          .check(z.regex(SITE_ID_PATTERN, 'each site id must be 1-64 letters, digits, ".", "_" or "-"')),
      )
      .check(
        z.minLength(1, 'siteIds must name at least one site, or be null for every site'),
        z.maxLength(100, 'siteIds may name at most 100 sites'),
      ),
    z.transform((ids: string[]) => [...new Set(ids)].sort()),
  ),
);
const cidrProblems = {
  malformed: 'is not an IPv4 or IPv6 address or CIDR range',
  host_bits_set: 'has address bits set past its prefix length',
  too_wide: 'allows every address; send an empty list instead',
} as const;
const allowedIps = z.pipe(
  z
    .array(z.string().check(z.maxLength(64)))
    .check(z.maxLength(MAX_ALLOWED_IPS, `allowedIps may hold at most ${MAX_ALLOWED_IPS} ranges`)),
  z.transform((cidrs: string[], context) => {
    const canonical: string[] = [];
    cidrs.forEach((cidr, index) => {
      const parsed = parseCidr(cidr.trim());
      if (parsed.ok) canonical.push(parsed.canonical);
      else
        context.issues.push({
          code: 'custom',
          path: [index],
          message: `"${cidr}" ${cidrProblems[parsed.problem]}`,
          input: cidr,
        });
    });
    return [...new Set(canonical)].sort();
  }),
);

export const createApiKeySchema = z.strictObject({
  name,
  description: z.optional(description),
  permissions,
  expiresAt: z.optional(expiresAt),
  siteIds: z.optional(siteIds),
  allowedIps: z.optional(allowedIps),
});

/** Each field left out is copied from the source key; `null` (or `[]` for allowedIps) lifts a limit. */
export const duplicateApiKeySchema = z.strictObject({
  name,
  description: z.optional(description),
  permissions: z.optional(permissions),
  expiresAt: z.optional(expiresAt),
  siteIds: z.optional(siteIds),
  allowedIps: z.optional(allowedIps),
});

/** Each field left out stays as it is; `null` (or `[]` for allowedIps) lifts a limit. */
export const updateApiKeySchema = z
  .strictObject({
    name: z.optional(name),
    description: z.optional(description),
    permissions: z.optional(permissions),
    expiresAt: z.optional(expiresAt),
    siteIds: z.optional(siteIds),
    allowedIps: z.optional(allowedIps),
  })
  .check(
    z.refine((patch) => Object.values(patch).some((value) => value !== undefined), {
      message: 'send at least one of name, description, permissions, expiresAt, siteIds, allowedIps',
    }),
  );

/** `GET /v1/api-keys`: a page size and the `nextCursor` of the previous page. */
export const listApiKeysQuerySchema = z.object({
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

/** Rotate's optional body: how long the old token keeps working beside the new one. */
export const rotateApiKeySchema = z.strictObject({
  gracePeriodSeconds: z.optional(
    z
      .number({ message: 'gracePeriodSeconds must be a whole number of seconds' })
      .check(
        z.int('gracePeriodSeconds must be a whole number of seconds'),
        z.minimum(0, 'gracePeriodSeconds must not be negative'),
        z.maximum(
          MAX_GRACE_PERIOD_SECONDS,
          `gracePeriodSeconds must be at most ${MAX_GRACE_PERIOD_SECONDS} (7 days)`,
        ),
      ),
  ),
});

/** Delete carries no body; an empty object is accepted as the same thing. */
export const emptyRequestSchema = z.strictObject({});

export type CreateApiKeyInput = z.output<typeof createApiKeySchema>;
export type DuplicateApiKeyInput = z.output<typeof duplicateApiKeySchema>;
export type UpdateApiKeyInput = z.output<typeof updateApiKeySchema>;
export type RotateApiKeyInput = z.output<typeof rotateApiKeySchema>;

/**
 * A key's limits as a request states them. In a normal form, `undefined` means "not said" (the
 * default for create, the source's value for duplicate, unchanged for update) and `null` or `[]`
 * lifts the limit. Create drops its defaults, so a request in the guide's terms hashes as before.
 */
export interface KeyLimitsRequest {
  readonly expiresAt?: string | null | undefined;
  readonly siteIds?: readonly string[] | null | undefined;
  readonly allowedIps?: readonly string[] | undefined;
}

export interface CreateApiKeyRequest extends KeyLimitsRequest {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionGrant[];
}

export interface DuplicateApiKeyRequest extends KeyLimitsRequest {
  readonly name: string;
  readonly description?: string | undefined;
  readonly permissions?: readonly PermissionGrant[] | undefined;
}

/**
 * What a duplicate will really be: the copy's name, description, permissions and limits as resolved
 * from the source key, and the source version they were resolved from. A code confirms this, not the
 * body as sent, so a source edited between the code and the action (say, to grant every permission
 * or lift a limit) refuses the code instead of copying what nobody approved. Every limit is said
 * (`null` or `[]` for none), so the copy's limits are exactly the ones the code approved.
 */
export interface ResolvedDuplicateRequest extends KeyLimitsRequest {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly PermissionGrant[];
  readonly sourceVersion: number;
}

export function resolveDuplicate(
  request: DuplicateApiKeyRequest,
  source: ApiKeyRecord,
): ResolvedDuplicateRequest {
  return {
    name: request.name,
    description: request.description ?? source.description,
    permissions: request.permissions ?? source.permissions,
    ...withLimits(source, request),
    sourceVersion: source.version,
  };
}

/** A key's limits with a request's said fields laid over them (`null` and `[]` lift a limit). */
export function withLimits(
  key: Pick<ApiKeyRecord, 'allowedSiteIds' | 'expiresAt' | 'allowedIps'>,
  request: KeyLimitsRequest,
): KeyLimitsRequest {
  return {
    expiresAt: request.expiresAt === undefined ? (key.expiresAt ?? null) : request.expiresAt,
    siteIds: request.siteIds === undefined ? (key.allowedSiteIds ?? null) : request.siteIds,
    allowedIps: request.allowedIps ?? key.allowedIps ?? [],
  };
}

export interface UpdateApiKeyRequest extends KeyLimitsRequest {
  readonly name?: string | undefined;
  readonly description?: string | undefined;
  readonly permissions?: readonly PermissionGrant[] | undefined;
}

export interface RotateApiKeyRequest {
  /** Absent for 0: the guide's rotation, where the old token dies at once. */
  readonly gracePeriodSeconds?: number | undefined;
}

export function normaliseCreateRequest(input: CreateApiKeyInput): CreateApiKeyRequest {
  return {
    name: input.name,
    description: input.description ?? '',
    permissions: normalisePermissions(input.permissions),
    expiresAt: input.expiresAt ?? undefined,
    siteIds: input.siteIds ?? undefined,
    allowedIps:
      input.allowedIps === undefined || input.allowedIps.length === 0 ? undefined : input.allowedIps,
  };
}

export function normaliseDuplicateRequest(input: DuplicateApiKeyInput): DuplicateApiKeyRequest {
  return { ...normaliseChange(input), name: input.name };
}

export function normaliseUpdateRequest(input: UpdateApiKeyInput): UpdateApiKeyRequest {
  return normaliseChange(input);
}

/** Duplicate and edit: an absent field keeps the key's value, so only the permissions get a normal form. */
function normaliseChange(input: UpdateApiKeyInput | DuplicateApiKeyInput): UpdateApiKeyRequest {
  return {
    name: input.name,
    description: input.description,
    permissions: input.permissions === undefined ? undefined : normalisePermissions(input.permissions),
    expiresAt: input.expiresAt,
    siteIds: input.siteIds,
    allowedIps: input.allowedIps,
  };
}

export function normaliseRotateRequest(input: RotateApiKeyInput | undefined): RotateApiKeyRequest {
  const seconds = input?.gracePeriodSeconds ?? 0;
  return seconds === 0 ? {} : { gracePeriodSeconds: seconds };
}
