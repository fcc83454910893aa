import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import { AppError, VerificationFailedError } from '../domain/errors';
import { logger } from '../logger';
import { countMetric, METRICS, type MetricName, withMetrics } from '../metrics';
import type { HttpEvent } from './event';
import { errorResponse, type HttpResult, SECURITY_HEADERS } from './responses';

/**
 * Refusals that are worth a metric, by error code: a spike of them is an attack or a broken client.
 * The count rides on the request's log line.
 */
const ERROR_METRICS: Readonly<Record<string, MetricName>> = {
  member_locked: METRICS.lockedRefusals,
  code_not_sent: METRICS.codeSendFailures,
};

function errorMetric(error: unknown): MetricName | undefined {
  // Every refused code, whatever the refusal (wrong, expired, used, another request's).
  if (error instanceof VerificationFailedError) return METRICS.codesFailed;
  return error instanceof AppError ? ERROR_METRICS[error.code] : undefined;
}

/**
 * The one HTTP boundary every route uses: it maps AppErrors to their status and JSON error, turns
 * anything else into a generic 500 (the detail goes to the log, never the response), adds the
 * security headers, and writes one access-log line without bodies, headers or secrets.
 */
function httpBoundary(): MiddlewareObj<HttpEvent, HttpResult> {
  const startedAt = new WeakMap<object, number>();
  const finish = (event: HttpEvent, context: Context, response: HttpResult, error?: unknown) => {
    response.headers = { ...response.headers, ...SECURITY_HEADERS };
    const start = startedAt.get(event);
    const fields = {
      route: event.routeKey,
      status: response.statusCode,
      requestId: event.requestContext?.requestId ?? context.awsRequestId,
      durationMs: start === undefined ? undefined : Date.now() - start,
      errorCode: error instanceof AppError ? error.code : undefined,
    };
    const metric = errorMetric(error);
    if (metric !== undefined) countMetric(metric);
    if (response.statusCode >= 500) logger.error('request failed', fields, error);
    else logger.info('request', fields);
  };
  return {
    before: (request) => {
      startedAt.set(request.event, Date.now());
    },
    after: (request) => {
      if (request.response !== null) finish(request.event, request.context, request.response);
    },
    onError: (request) => {
      const error = request.error;
      const response =
        error instanceof AppError
          ? errorResponse(error.statusCode, error.code, error.message, error.details, { ...error.headers })
          : errorResponse(500, 'internal_error', 'Something went wrong on our side. Try again later.');
      request.response = response;
      finish(request.event, request.context, response, error);
    },
  };
}

export type RouteFunction = (event: HttpEvent, context: Context) => Promise<HttpResult>;

/** Each invocation gets its own pending metrics (see shared/metrics.ts), written on its log line. */
export function httpHandler(route: RouteFunction): RouteFunction {
  const handler = middy<HttpEvent, HttpResult>().use(httpBoundary()).handler(route);
  return (event, context) => withMetrics(() => handler(event, context));
}
