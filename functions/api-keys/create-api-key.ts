import { resolveActor } from '../../shared/domain/actors';
import { createApiKeySchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { httpHandler } from '../../shared/http/http-handler';
import { etag, verificationProof } from '../../shared/http/preconditions';
import { callerDetails, callerId, parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore, keyLifecycle } from '../../shared/services';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = httpHandler(async (event) => {
  const actor = await resolveActor(accounts, callerId(event), callerDetails(event));
  const body = parseJsonBody(event, createApiKeySchema);
  const { record, token } = await lifecycle.createApiKey(actor, body, verificationProof(event));
  countMetric(METRICS.keyEvents, { Event: 'created' });
  return json(201, { apiKey: toPublicApiKey(record), token }, etag(record.version));
});
