import type { ApiKeyRecord } from '../../shared/domain/api-keys';
import {
  type AuthorizationDecision,
  authorizeRequest,
  lastUsedStaleBefore,
} from '../../shared/domain/authorization';
import { systemClock } from '../../shared/domain/ports';
import { logger, logs, logWithCounts } from '../../shared/logger';
import { METRICS } from '../../shared/metrics';
import { keyLookup } from '../../shared/wiring/key-lookup';
import { pepperRing } from '../../shared/wiring/pepper';
import {
  type AuthorizerEvent,
  type AuthorizerResult,
  authorizerResult,
  type ReadEvent,
  readAuthorizerEvent,
} from './authorizer-events';
import { protectedRoutes } from './protected-routes';

/**
 * The Latchkey Lambda authorizer for HTTP APIs (simple responses) and REST APIs (IAM policies).
 * Decisions are never cached here: a rotated or deleted key is refused on the very next request.
 * A DynamoDB or KMS failure is rethrown, so API Gateway answers 500 and never calls the backend.
 */
const keys = keyLookup();
const tokens = pepperRing();
// The pepper decrypt starts now, during the cold start, so it overlaps the first request's GetItem
// instead of running before it. A failure is forgotten and retried by the first request.
tokens.prepare();
const dependencies = { keys, tokens };
const routes = protectedRoutes();

/**
 * An allow is logged at debug, so at the default level it writes no line at all (allows are
 * counted from Lambda's own invocation metric, less refusals and errors); a refusal is logged at
 * info with its reason as a metric dimension; an error is always logged.
 */
export async function handler(event: AuthorizerEvent): Promise<AuthorizerResult> {
  const read = readAuthorizerEvent(event, routes);
  const { kind, request, routeLabel } = read;
  let decision: AuthorizationDecision;
  try {
    decision = await authorizeRequest(dependencies, request);
  } catch (error) {
    logger.error(
      'authorizer decision',
      { decision: 'error', reason: 'dependency_failure', route: routeLabel, kind },
      error,
    );
    throw error;
  }
  if (decision.allowed) {
    const now = systemClock.now();
    const staleBefore = lastUsedStaleBefore(decision.key, now);
    // The usual case is fresh: no write and nothing to wait for.
    if (staleBefore !== undefined) await recordUse(decision.key, now, staleBefore);
  }
  if (decision.allowed && decision.previousToken) {
    // At info although allows are debug: while a grace period runs, the operator needs to see which
    // callers still send the replaced token, and the period is bounded (at most 7 days).
    logger.info('authorizer decision', {
      decision: 'allow',
      previousToken: true,
      ...decisionFields(read, decision),
    });
  } else if (decision.allowed) {
    // The usual case: at the default level no line is written, so none is built either.
    if (logs('debug'))
      logger.debug('authorizer decision', { decision: 'allow', ...decisionFields(read, decision) });
  } else {
    logWithCounts('info', 'authorizer decision', { decision: 'deny', ...decisionFields(read, decision) }, [
      { name: METRICS.refusals, value: 1, dimensions: { Reason: decision.reason } },
    ]);
  }
  return authorizerResult(read, decision, routes);
}

function decisionFields(read: ReadEvent, decision: AuthorizationDecision) {
  return {
    reason: decision.reason,
    keyId: decision.keyId,
    accountId: decision.key?.accountId ?? read.request.accountId,
    siteId: decision.siteId,
    route: read.routeLabel,
    kind: read.kind,
    ...(decision.allowed ? { access: decision.access } : {}),
  };
}

/** At most one conditional write per key per interval; losing it never refuses a valid request. */
async function recordUse(key: ApiKeyRecord, now: Date, staleBefore: string): Promise<void> {
  try {
    await keys.recordUse(key.keyId, now.toISOString(), staleBefore);
  } catch (error) {
    logger.warn('could not record lastUsedAt', { keyId: key.keyId, accountId: key.accountId }, error);
  }
}
