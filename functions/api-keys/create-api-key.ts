import { createApiKeySchema } from '../../shared/domain/api-key-requests';
import { toPublicApiKey } from '../../shared/domain/api-keys';
import { memberRoute } from '../../shared/http/member-handler';
import { etag, verificationProof } from '../../shared/http/preconditions';
import { parseJsonBody } from '../../shared/http/request';
import { json } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore } from '../../shared/wiring/stores';
import { keyLifecycle } from '../../shared/wiring/verification';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = memberRoute(accounts, async ({ event, actor }) => {
  const body = parseJsonBody(event, createApiKeySchema);
  const { record, token } = await lifecycle.createApiKey(actor, body, verificationProof(event));
  countMetric(METRICS.keyEvents, { Event: 'created' });
  return json(201, { apiKey: toPublicApiKey(record), token }, etag(record.version));
});
