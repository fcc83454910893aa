import { embeddedMetricFields, type MetricCount, takeMetrics, writeMetricLine } from './metrics';

/**
 * Structured JSON logs, one line per event. Callers pass explicit fields; nothing logs a request
 * body, an Authorization header, a token or a code. Errors are reduced to name and message, and the
 * message of an unexpected error stays in the log, never in a response.
 *
 * Lines go straight to stdout as JSON objects with `timestamp`, `level` and `message`. In Lambda's
 * JSON log format that is exactly what Lambda filters by level and passes through as is; a line
 * written with `console.log` would instead be wrapped in Lambda's own JSON as an escaped string,
 * which doubles its size and hides any embedded metrics from CloudWatch.
 *
 * The level: Lambda's application log level when the function has one (`AWS_LAMBDA_LOG_LEVEL`),
 * else `LATCHKEY_LOG_LEVEL`, else info. A line under it is never built, so an allowed verification
 * (logged at debug) costs no serialisation and no bytes.
 */
type Level = 'debug' | 'info' | 'warn' | 'error';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };
/** Lambda's levels that are not ours: TRACE logs everything we log, FATAL only errors. */
const LAMBDA_ORDER: Record<string, number> = { TRACE: 0, FATAL: ORDER.error };

export type LogFields = Record<string, string | number | boolean | null | undefined | string[]>;

function threshold(): number {
  const lambda = process.env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase();
  if (lambda !== undefined) {
    const order = LAMBDA_ORDER[lambda] ?? ORDER[lambda.toLowerCase() as Level];
    if (order !== undefined) return order;
  }
  const configured = process.env.LATCHKEY_LOG_LEVEL;
  return configured !== undefined && configured in ORDER ? ORDER[configured as Level] : ORDER.info;
}

/** Whether a line at `level` would be written; lets a caller skip building its fields. */
export function logs(level: Level): boolean {
  return ORDER[level] >= threshold();
}

function write(
  level: Level,
  message: string,
  fields: LogFields,
  error?: unknown,
  counts: readonly MetricCount[] = [],
): void {
  // Counts recorded in this request ride on its line; with no line, they get one of their own.
  const metrics: MetricCount[] = [...takeMetrics(), ...counts];
  if (!logs(level)) {
    if (metrics.length > 0) writeMetricLine(metrics);
    return;
  }
  const { fields: emf, rest } = embeddedMetricFields(metrics);
  const line: Record<string, unknown> = {
    timestamp: new Date().toISOString(),
    level,
    message,
    ...fields,
    ...emf,
  };
  if (error !== undefined) line.error = describeError(error);
  process.stdout.write(`${JSON.stringify(line)}\n`);
  if (rest.length > 0) writeMetricLine(rest);
}

function describeError(error: unknown): { name: string; message: string; cause?: string } {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `${error.cause.name}: ${error.cause.message}` : undefined;
    return cause === undefined
      ? { name: error.name, message: error.message }
      : { name: error.name, message: error.message, cause };
  }
  return { name: 'NonError', message: typeof error };
}

/**
 * A line that carries the given counts itself, for code that keeps no per-request metric scope:
 * the authorizer, whose one decision line is written in the same step as its count, and which
 * avoids `withMetrics` because async context tracking costs CPU on every promise of the call.
 */
export function logWithCounts(
  level: Level,
  message: string,
  fields: LogFields,
  counts: readonly MetricCount[],
): void {
  write(level, message, fields, undefined, counts);
}

export const logger = {
  debug: (message: string, fields: LogFields = {}) => write('debug', message, fields),
  info: (message: string, fields: LogFields = {}) => write('info', message, fields),
  warn: (message: string, fields: LogFields = {}, error?: unknown) => write('warn', message, fields, error),
  error: (message: string, fields: LogFields = {}, error?: unknown) => write('error', message, fields, error),
};
