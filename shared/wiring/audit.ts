import { dynamoDocumentClient } from '../adapters/aws-clients';
import { DynamoAuditLog } from '../adapters/dynamo-audit-log';
import { optionalEnv, SETTINGS } from '../config';
import { AuditEventFactory, type AuditLog, DEFAULT_AUDIT_RETENTION_DAYS } from '../domain/audit-events';
import { once } from './once';
import { tableName } from './table';

/** The audit log, and the one factory every writer stamps events with. */
export const auditLog = /* @__PURE__ */ once(
  (): AuditLog => new DynamoAuditLog(dynamoDocumentClient(), tableName()),
);

/** Every writer stamps events with the same retention, read once here. */
export const auditEvents = /* @__PURE__ */ once(() => {
  const days = optionalEnv(SETTINGS.auditRetentionDays);
  const retention = days === undefined ? DEFAULT_AUDIT_RETENTION_DAYS : Number(days);
  if (!Number.isInteger(retention) || retention < 1) {
    throw new Error(`${SETTINGS.auditRetentionDays} must be a whole number of days, not "${days}"`);
  }
  return new AuditEventFactory(retention);
});
