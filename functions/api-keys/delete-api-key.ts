import { resolveActor } from '../../shared/domain/actors';
import { emptyRequestSchema } from '../../shared/domain/api-key-requests';
import { KEY_ID_PATTERN } from '../../shared/domain/ids';
import { KEY_NOT_FOUND } from '../../shared/domain/key-lifecycle';
import { httpHandler } from '../../shared/http/http-handler';
import { ifMatchVersion, verificationProof } from '../../shared/http/preconditions';
import { callerDetails, callerId, parseJsonBody, pathParam } from '../../shared/http/request';
import { noContent } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore, keyLifecycle } from '../../shared/services';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  parseJsonBody(event, emptyRequestSchema);
  const keyId = pathParam(event, 'keyId', KEY_ID_PATTERN, KEY_NOT_FOUND);
  await lifecycle.deleteApiKey(actor, keyId, verificationProof(event), ifMatchVersion(event));
  countMetric(METRICS.keyEvents, { Event: 'deleted' });
  return noContent();
});
