import { toPublicApiKey } from '../../shared/domain/api-keys';
import { loadOwnKey } from '../../shared/domain/key-reads';
import { keyRoute } from '../../shared/http/member-handler';
import { etag } from '../../shared/http/preconditions';
import { json } from '../../shared/http/responses';
import { accountStore, keyStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const keys = keyStore();

export const handler = keyRoute(accounts, async ({ actor, keyId }) => {
  const record = await loadOwnKey(keys, actor, keyId);
  return json(200, { apiKey: toPublicApiKey(record) }, etag(record.version));
});
