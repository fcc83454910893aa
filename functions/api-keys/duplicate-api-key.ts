import { duplicateApiKeySchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { keyRoute } from '../../shared/http/member-handler';
import { etag, verificationProof } from '../../shared/http/preconditions';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore } from '../../shared/wiring/stores';
import { keyLifecycle } from '../../shared/wiring/verification';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = keyRoute(accounts, async ({ event, actor, keyId }) => {
  const body = parseJsonBody(event, duplicateApiKeySchema);
  const proof = verificationProof(event);
  const { record, token } = await lifecycle.duplicateApiKey(actor, keyId, body, proof);
  countMetric(METRICS.keyEvents, { Event: 'duplicated' });
  return json(201, { apiKey: toPublicApiKey(record), token }, etag(record.version));
});
