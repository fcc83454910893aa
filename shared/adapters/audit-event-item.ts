import type { AuditEvent } from '../domain/audit-events';

/** The fields an audit event item holds; the account index (gsi1) projects them for key events. */
export const EVENT_FIELDS = [
  'eventId',
  'accountId',
  'type',
  'occurredAt',
  'member',
  'keyId',
  'keyName',
  'changes',
  'source',
  'requestId',
  'details',
  'expiresAt',
] as const satisfies readonly (keyof AuditEvent)[];
