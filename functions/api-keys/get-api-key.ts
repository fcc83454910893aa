import { resolveActor } from '../../shared/domain/actors';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { KEY_ID_PATTERN } from '../../shared/domain/ids';
import { KEY_NOT_FOUND, loadOwnKey } from '../../shared/domain/key-lifecycle';
import { httpHandler } from '../../shared/http/http-handler';
import { etag } from '../../shared/http/preconditions';
import { callerId, pathParam } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { accountStore, keyStore } from '../../shared/wiring/stores';

const accounts = accountStore();
const keys = keyStore();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event));
  const keyId = pathParam(event, 'keyId', KEY_ID_PATTERN, KEY_NOT_FOUND);
  const record = await loadOwnKey(keys, actor, keyId);
  return json(200, { apiKey: toPublicApiKey(record) }, etag(record.version));
});
