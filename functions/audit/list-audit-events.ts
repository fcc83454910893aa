import { listAuditEvents, listAuditEventsQuerySchema } from '../../shared/domain/audit-events';
import { memberRoute } from '../../shared/http/member-handler';
import { parseQuery } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { auditLog } from '../../shared/wiring/audit';
import { cursorSigner } from '../../shared/wiring/cursors';
import { accountStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const audit = auditLog();
const cursors = cursorSigner();

/** `GET /v1/audit-events`: the caller's account only, newest first, paginated like the key list. */
export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const query = parseQuery(event, listAuditEventsQuerySchema);
  const page = await listAuditEvents(audit, cursors, actor.accountId, query);
  return json(200, {
    events: page.items,
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });
});
