import { listAuditEventsQuerySchema, toPublicAuditEvent } from '../../shared/domain/audit-events';
import { memberRoute } from '../../shared/http/member-handler';
import { parseQuery } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { auditLog } from '../../shared/wiring/audit';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const audit = auditLog();

/** `GET /v1/audit-events`: the caller's account only, newest first, paginated like the key list. */
export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const query = parseQuery(event, listAuditEventsQuerySchema);
  const page = await audit.list(actor.accountId, query);
  return json(200, {
    events: page.items.map(toPublicAuditEvent),
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });
});
