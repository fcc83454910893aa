import { resolveActor } from '../../shared/domain/actors';
import { duplicateApiKeySchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { KEY_ID_PATTERN } from '../../shared/domain/ids';
import { KEY_NOT_FOUND } from '../../shared/domain/key-lifecycle';
import { httpHandler } from '../../shared/http/http-handler';
import { etag, verificationProof } from '../../shared/http/preconditions';
import { callerDetails, callerId, parseJsonBody, pathParam } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore, keyLifecycle } from '../../shared/services';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  const body = parseJsonBody(event, duplicateApiKeySchema);
  const sourceKeyId = pathParam(event, 'keyId', KEY_ID_PATTERN, KEY_NOT_FOUND);
  const proof = verificationProof(event);
  const { record, token } = await lifecycle.duplicateApiKey(actor, sourceKeyId, body, proof);
  countMetric(METRICS.keyEvents, { Event: 'duplicated' });
  return json(201, { apiKey: toPublicApiKey(record), token }, etag(record.version));
});
