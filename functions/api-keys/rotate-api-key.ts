import { resolveActor } from '../../shared/domain/actors';
import { emptyRequestSchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { KEY_ID_PATTERN } from '../../shared/domain/ids';
import { KEY_NOT_FOUND } from '../../shared/domain/key-lifecycle';
import { httpHandler } from '../../shared/http/http-handler';
import { etag, ifMatchVersion, verificationProof } from '../../shared/http/preconditions';
import { callerDetails, callerId, parseJsonBody, pathParam } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore, keyLifecycle } from '../../shared/services';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  parseJsonBody(event, emptyRequestSchema);
  const keyId = pathParam(event, 'keyId', KEY_ID_PATTERN, KEY_NOT_FOUND);
  const proof = verificationProof(event);
  const { record, token } = await lifecycle.rotateApiKey(actor, keyId, proof, ifMatchVersion(event));
  countMetric(METRICS.keyEvents, { Event: 'rotated' });
  return json(200, { apiKey: toPublicApiKey(record), token }, etag(record.version));
});
