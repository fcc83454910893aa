import { z } from 'zod';
import { resolveActor } from '../../shared/domain/actors';
import { listApiKeys } from '../../shared/domain/key-lifecycle';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId, parseQuery } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore, keyStore } from '../../shared/services';

const accounts = accountStore();
const keys = keyStore();

const querySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  cursor: z.string().min(1).max(512).optional(),
});

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event));
  const query = parseQuery(event, querySchema);
  const page = await listApiKeys(keys, actor, query);
  return json(200, {
    apiKeys: page.items,
    ...(page.nextCursor === undefined ? {} : { nextCursor: page.nextCursor }),
  });
});
