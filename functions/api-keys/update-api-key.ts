import { updateApiKeySchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { keyRoute } from '../../shared/http/member-handler';
import { etag, ifMatchVersion, verificationProof } from '../../shared/http/preconditions';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore } from '../../shared/wiring/stores';
import { keyLifecycle } from '../../shared/wiring/verification';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = keyRoute(accounts, async ({ event, actor, keyId }) => {
  const patch = parseJsonBody(event, updateApiKeySchema);
  const proof = verificationProof(event);
  const record = await lifecycle.updateApiKey(actor, keyId, patch, proof, ifMatchVersion(event));
  countMetric(METRICS.keyEvents, { Event: 'updated' });
  return json(200, { apiKey: toPublicApiKey(record) }, etag(record.version));
});
