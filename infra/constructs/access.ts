import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { SETTINGS } from '../../shared/config';
import type { Grant } from '../../shared/routes';
import type { LatchkeyMail } from './latchkey-mail';
import type { LatchkeyTableBase } from './latchkey-table-base';
import type { LatchkeyPepperBase } from './pepper';

/** Everything a Latchkey function may be granted access to. */
export interface LatchkeyBackend {
  readonly table: LatchkeyTableBase;
  readonly pepper: LatchkeyPepperBase;
  /** @default - no function may send mail */
  readonly mail?: LatchkeyMail;
  /** `LATCHKEY_LEAK_REPORTER_KEYS` for the leak-report route. @default - none: every report gets 401 */
  readonly leakReporterKeys?: string;
  /** Days audit events are kept (the table's TTL removes them). @default 365 */
  readonly auditRetentionDays?: number;
}

/**
 * What each grant of the route table (and the schedule) gives a function: the owning resource's
 * grant method, and the settings that go with it.
 */
export function grantAccess(fn: lambda.Function, grants: readonly Grant[], backend: LatchkeyBackend): void {
  const has = (grant: Grant) => grants.includes(grant);
  const { table, pepper } = backend;
  if (has('table:read') && has('table:write')) table.grantAllItemsReadWrite(fn);
  else if (has('table:read')) table.grantAllItemsRead(fn);
  else if (has('table:write')) table.grantAllItemsWrite(fn);
  if (has('account:read')) table.grantAccountRead(fn);
  if (has('sites:write')) table.grantSitesWrite(fn);
  if (has('products:read')) table.grantProductRead(fn);
  if (has('products:write')) table.grantProductWrite(fn);
  if (grants.some((grant) => TABLE_GRANTS.has(grant))) {
    fn.addEnvironment(SETTINGS.tableName, table.table.tableName);
  }
  // Only the management writers record audit events; the sample API's writers never do.
  if (has('table:write') && backend.auditRetentionDays !== undefined) {
    fn.addEnvironment(SETTINGS.auditRetentionDays, String(backend.auditRetentionDays));
  }
  if (has('leak:reporters') && backend.leakReporterKeys !== undefined) {
    fn.addEnvironment(SETTINGS.leakReporterKeys, backend.leakReporterKeys);
  }
  if (has('pepper:decrypt')) {
    pepper.grantDecrypt(fn);
    for (const [name, value] of Object.entries(pepper.settings)) fn.addEnvironment(name, value);
  }
  if (has('mail:send')) {
    const { mail } = backend;
    if (mail === undefined) throw new Error('A route needs mail:send but the backend has no mail settings');
    mail.grantSend(fn);
    for (const [name, value] of Object.entries(mail.settings)) fn.addEnvironment(name, value);
  }
}

const TABLE_GRANTS: ReadonlySet<Grant> = new Set<Grant>([
  'table:read',
  'table:write',
  'account:read',
  'sites:write',
  'products:read',
  'products:write',
]);
