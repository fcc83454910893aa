import { emptyRequestSchema } from '../../shared/domain/api-key-requests';
import { keyRoute } from '../../shared/http/member-handler';
import { ifMatchVersion, verificationProof } from '../../shared/http/preconditions';
import { parseJsonBody } from '../../shared/http/request';
import { noContent } from '../../shared/http/responses';
import { countMetric, METRICS } from '../../shared/metrics';
import { accountStore } from '../../shared/wiring/stores';
import { keyLifecycle } from '../../shared/wiring/verification';

const accounts = accountStore();
const lifecycle = keyLifecycle();

export const handler = keyRoute(accounts, async ({ event, actor, keyId }) => {
  parseJsonBody(event, emptyRequestSchema);
  await lifecycle.deleteApiKey(actor, keyId, verificationProof(event), ifMatchVersion(event));
  countMetric(METRICS.keyEvents, { Event: 'deleted' });
  return noContent();
});
