import { listApiKeysQuerySchema } from '../../shared/domain/api-key-requests';
import { listApiKeys } from '../../shared/domain/key-reads';
import { memberRoute } from '../../shared/http/member-handler';
import { parseQuery } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { cursorSigner } from '../../shared/wiring/cursors';
import { accountStore, keyStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const keys = keyStore();
const cursors = cursorSigner();

export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const query = parseQuery(event, listApiKeysQuerySchema);
  const page = await listApiKeys(keys, cursors, actor, query);
  return json(200, {
    apiKeys: page.items,
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });
});
