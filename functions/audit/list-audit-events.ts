import { z } from 'zod';
import { resolveActor } from '../../shared/domain/actors';
import { AUDIT_EVENT_TYPES, toPublicAuditEvent } from '../../shared/domain/audit-events';
import { KEY_ID_PATTERN } from '../../shared/domain/ids';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId, parseQuery } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore, auditLog } from '../../shared/services';

const accounts = accountStore();
const audit = auditLog();

const querySchema = z.object({
  keyId: z.string().regex(KEY_ID_PATTERN, 'keyId is not a key id').optional(),
  type: z.enum(AUDIT_EVENT_TYPES).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

/** `GET /v1/audit-events`: the caller's account only, newest first, paginated like the key list. */
export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event));
  const query = parseQuery(event, querySchema);
  const page = await audit.list(actor.accountId, query);
  return json(200, {
    events: page.items.map(toPublicAuditEvent),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });
});
