import * as z from 'zod/mini';
import './zod-messages';
import { maskEmail } from './accounts';
import type { ApiKeyRecord, Page, StoredPage } from './api-keys';
import type { CursorSigner } from './cursors';
import { KEY_ID_PATTERN, newKeyId } from './ids';

/**
 * The audit log: who did what to which key, and who failed a code. Key events are written in the
 * same DynamoDB transaction as the change they record, so a change never lacks its event and a
 * failed change leaves none. An event never holds a token, a code, a hash or a pepper: it is built
 * only from the fields listed here, and the key's fields are copied through `keySnapshot`, which
 * names the ones that may be shown.
 */
export const KEY_EVENT_TYPES = [
  'key.created',
  'key.rotated',
  'key.duplicated',
  'key.updated',
  'key.deleted',
  'key.revoked_leak',
] as const;

export const VERIFICATION_EVENT_TYPES = [
  'verification.sent',
  'verification.failed',
  'verification.locked',
] as const;

export const AUDIT_EVENT_TYPES = [...KEY_EVENT_TYPES, ...VERIFICATION_EVENT_TYPES] as const;

export type KeyEventType = (typeof KEY_EVENT_TYPES)[number];
export type VerificationEventType = (typeof VERIFICATION_EVENT_TYPES)[number];
export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export function isAuditEventType(value: string): value is AuditEventType {
  return (AUDIT_EVENT_TYPES as readonly string[]).includes(value);
}

/** Where a request came from, as API Gateway saw it. */
export interface RequestOrigin {
  readonly sourceIp?: string | undefined;
  readonly userAgent?: string | undefined;
  readonly requestId?: string | undefined;
}

/** The signed-in member who acted; the email (from the sign-in token, when it has one) is masked. */
export interface AuditMember {
  readonly userId: string;
  readonly email: string | null;
}

/**
 * The shown fields of a key: its name, description, permissions and policies. Policies a key does
 * not have are left out, so before/after compare like for like.
 */
export type KeySnapshot = Readonly<Record<string, unknown>>;

/** The key fields an event may show; never tokenHash, pepperVersion or any other digest. */
const SNAPSHOT_FIELDS = ['name', 'description', 'permissions', 'siteIds', 'expiresAt', 'allowedIps'] as const;

export function keySnapshot(record: ApiKeyRecord): KeySnapshot {
  const fields: Record<string, unknown> = {};
  // `siteIds` as the API shows it: the key's chosen sites, or null for every site of the account
  // (the record's own `siteIds` is the account's site list, copied for the authorizer).
  const source = { ...record, siteIds: record.allowedSiteIds ?? null } as unknown as Readonly<
    Record<string, unknown>
  >;
  for (const field of SNAPSHOT_FIELDS) {
    const value = source[field];
    if (value !== undefined) fields[field] = value;
  }
  return fields;
}

export interface AuditEvent {
  /** Time-ordered, so an account's events sort newest first by id. */
  readonly eventId: string;
  readonly accountId: string;
  readonly type: AuditEventType;
  readonly occurredAt: string;
  /** Null when no member acted: a leak report or a scheduled job. */
  readonly member: AuditMember | null;
  readonly keyId: string | null;
  readonly keyName: string | null;
  /** For updates: the shown fields before and after. For creation: after only. */
  readonly changes: { readonly before?: KeySnapshot; readonly after?: KeySnapshot } | null;
  readonly source: { readonly ip: string | null; readonly userAgent: string | null };
  readonly requestId: string | null;
  /** Type-specific facts: the verified action, where a leaked token was found. Never a secret. */
  readonly details: Readonly<Record<string, string | number>> | null;
  /** Epoch seconds after which the table's TTL removes the event. */
  readonly expiresAt: number;
}

/** The shape `GET /v1/audit-events` shows: everything but storage fields. */
export type PublicAuditEvent = Omit<AuditEvent, 'accountId' | 'expiresAt'>;

export function toPublicAuditEvent(event: AuditEvent): PublicAuditEvent {
  const { accountId: _account, expiresAt: _ttl, ...shown } = event;
  return shown;
}

export const DEFAULT_AUDIT_RETENTION_DAYS = 365;

/** Who acted, from where; handlers build it from the request, jobs and reporters from their own. */
export interface AuditContext {
  readonly member: AuditMember | null;
  readonly origin: RequestOrigin;
}

export function memberOf(userId: string, email: string | undefined): AuditMember {
  return { userId, email: email === undefined ? null : maskEmail(email) };
}

export interface NewAuditEvent {
  readonly accountId: string;
  readonly type: AuditEventType;
  readonly key?: ApiKeyRecord | undefined;
  readonly changes?: AuditEvent['changes'];
  readonly details?: AuditEvent['details'];
}

/**
 * Builds events with one clock and one retention, so every writer stamps them the same way.
 */
export class AuditEventFactory {
  constructor(
    private readonly retentionDays: number = DEFAULT_AUDIT_RETENTION_DAYS,
    private readonly now: () => Date = () => new Date(),
  ) {
    if (!Number.isInteger(retentionDays) || retentionDays < 1) {
      throw new Error(`Audit retention must be a whole number of days >= 1, not ${retentionDays}`);
    }
  }

  build(context: AuditContext, event: NewAuditEvent): AuditEvent {
    const at = this.now();
    return {
      eventId: newKeyId(at),
      accountId: event.accountId,
      type: event.type,
      occurredAt: at.toISOString(),
      member: context.member,
      keyId: event.key?.keyId ?? null,
      keyName: event.key?.name ?? null,
      changes: event.changes ?? null,
      source: { ip: context.origin.sourceIp ?? null, userAgent: context.origin.userAgent ?? null },
      requestId: context.origin.requestId ?? null,
      details: event.details ?? null,
      expiresAt: Math.floor(at.getTime() / 1000) + this.retentionDays * 86_400,
    };
  }
}

export interface AuditQuery {
  readonly keyId?: string | undefined;
  readonly type?: AuditEventType | undefined;
  readonly limit: number;
  /** Start after this event id (from a verified cursor). */
  readonly after?: string | undefined;
}

/** Where events are kept. Key events are written by the KeyStore's transactions, not here. */
export interface AuditLog {
  /** A standalone event (verification events, which change no key). */
  record(event: AuditEvent): Promise<void>;
  /** Newest first, the account's events only. */
  list(accountId: string, query: AuditQuery): Promise<StoredPage<AuditEvent>>;
}

/** `GET /v1/audit-events`'s query, validated at the edge. */
export const listAuditEventsQuerySchema = z.object({
  keyId: z.optional(z.string().check(z.regex(KEY_ID_PATTERN, 'keyId is not a key id'))),
  type: z.optional(z.enum(AUDIT_EVENT_TYPES)),
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(100)), 20),
  cursor: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
});

/**
 * One page of the account's events. The cursor is bound to the account and to the filters, so it
 * opens only on the very list that issued it (400 `invalid_cursor` otherwise).
 */
export async function listAuditEvents(
  audit: AuditLog,
  cursors: CursorSigner,
  accountId: string,
  query: z.infer<typeof listAuditEventsQuerySchema>,
): Promise<Page<PublicAuditEvent>> {
  const scope = {
    accountId,
    list: `audit-events?keyId=${query.keyId ?? ''}&type=${query.type ?? ''}`,
  };
  const after = query.cursor === undefined ? undefined : await cursors.open(query.cursor, scope);
  const page = await audit.list(accountId, {
    keyId: query.keyId,
    type: query.type,
    limit: query.limit,
    after,
  });
  return {
    items: page.items.map(toPublicAuditEvent),
    nextCursor: page.resumeAfter === undefined ? undefined : await cursors.seal(page.resumeAfter, scope),
  };
}
