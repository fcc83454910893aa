import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Metrics in CloudWatch's embedded metric format (EMF): a metric is a few extra fields on a JSON log
 * line the function writes anyway, and CloudWatch Logs extracts it on ingestion. No API call, no
 * IAM permission, no client in the bundle.
 *
 * Written here in a few lines rather than with Powertools Metrics: the authorizer's bundle has a
 * budget (`npm run bench`), and Powertools Metrics brings its own logger, its commons package and
 * a flush-per-invocation model that writes a line of its own; here the metric rides on the line the
 * function already writes (the authorizer's refusal line, the management API's request line).
 *
 * How to count something (for any function):
 *
 * ```ts
 * import { countMetric, METRICS } from '../shared/metrics';
 * countMetric(METRICS.leakReports);
 * countMetric(METRICS.keyEvents, { Event: 'rotated' });
 * ```
 *
 * Inside an HTTP route (`httpHandler`) or the authorizer, the count is written with the request's
 * own log line. Anywhere else it is written at once, as a line of its own.
 */

/** The names Latchkey publishes, in the stack's metrics namespace. Alarms and the dashboard read them. */
export const METRICS = {
  /** Authorizer refusals, dimension `Reason` (whatever reasons the authorizer has). */
  refusals: 'Refusals',
  /** Verification codes mailed. */
  codesSent: 'VerificationCodesSent',
  /** Codes that could not be mailed (the challenge was withdrawn). */
  codeSendFailures: 'VerificationCodeSendFailures',
  /** Submitted codes refused: wrong, expired, spent, or bound to another request. */
  codesFailed: 'VerificationCodesFailed',
  /** Members whose key changes were just locked after a run of wrong codes. */
  membersLocked: 'VerificationLocks',
  /** Requests refused because the member's key changes are locked. */
  lockedRefusals: 'VerificationLockedRefusals',
  /** API key changes, dimension `Event`: created, duplicated, rotated, updated, deleted, ... */
  keyEvents: 'KeyEvents',
  /** Leaked tokens reported. */
  leakReports: 'LeakReports',
  /** Failed KMS decryptions of the pepper. */
  pepperDecryptFailures: 'PepperDecryptFailures',
} as const;

export type MetricName = (typeof METRICS)[keyof typeof METRICS];

/** The namespace unless the stack sets one (`LATCHKEY_METRICS_NAMESPACE`). */
export const DEFAULT_METRICS_NAMESPACE = 'Latchkey';

export interface MetricCount {
  readonly name: MetricName;
  readonly value: number;
  /** At most a few, with few distinct values: each combination is a metric billed by the month. */
  readonly dimensions: Readonly<Record<string, string>>;
}

const scope = new AsyncLocalStorage<MetricCount[]>();

/**
 * Runs `work` with its own list of pending counts; `takeMetrics` inside it drains that list. Lambda
 * runs one request per process, but the local server runs many at once in one process, so the list
 * follows the request, not the module.
 */
export function withMetrics<T>(work: () => Promise<T>): Promise<T> {
  return scope.run([], work);
}

/** Counts one occurrence (or `value`). See the module comment for where it is written. */
export function countMetric(name: MetricName, dimensions: Record<string, string> = {}, value = 1): void {
  const pending = scope.getStore();
  const count = { name, value, dimensions };
  if (pending !== undefined) pending.push(count);
  else writeMetricLine([count]);
}

/** The counts recorded so far in this request, removed from it. */
export function takeMetrics(): MetricCount[] {
  const pending = scope.getStore();
  if (pending === undefined) return [];
  return pending.splice(0, pending.length);
}

function namespace(): string {
  const configured = process.env.LATCHKEY_METRICS_NAMESPACE;
  return configured === undefined || configured === '' ? DEFAULT_METRICS_NAMESPACE : configured;
}

/**
 * The EMF fields for `counts`, to spread into a JSON log line, plus any counts that could not share
 * the line (one dimension name can hold one value per line), for a line of their own.
 */
export function embeddedMetricFields(
  counts: readonly MetricCount[],
  timestamp = Date.now(),
): { fields: Record<string, unknown>; rest: MetricCount[] } {
  const fields: Record<string, unknown> = {};
  const directives: { Dimensions: string[][]; Metrics: { Name: string; Unit: 'Count' }[] }[] = [];
  const rest: MetricCount[] = [];
  for (const count of counts) {
    const names = Object.keys(count.dimensions).sort();
    const same = directives.find((d) => d.Metrics[0]?.Name === count.name);
    if (same !== undefined) {
      // The metric's value is one field of the line: a second count adds to it only when it has the
      // same dimensions; one with other dimensions waits for another line.
      const sameDimensions =
        same.Dimensions[0]?.join() === names.join() && names.every((n) => fields[n] === count.dimensions[n]);
      if (sameDimensions) fields[count.name] = Number(fields[count.name]) + count.value;
      else rest.push(count);
      continue;
    }
    if (names.some((n) => n in fields && fields[n] !== count.dimensions[n])) {
      rest.push(count);
      continue;
    }
    Object.assign(fields, count.dimensions);
    fields[count.name] = count.value;
    directives.push({ Dimensions: [names], Metrics: [{ Name: count.name, Unit: 'Count' }] });
  }
  if (directives.length === 0) return { fields: {}, rest };
  return {
    fields: { _aws: { Timestamp: timestamp, CloudWatchMetrics: withNamespace(directives) }, ...fields },
    rest,
  };
}

function withNamespace<T extends object>(directives: T[]): (T & { Namespace: string })[] {
  const ns = namespace();
  return directives.map((d) => ({ Namespace: ns, ...d }));
}

/** Counts with no log line to ride on: a line of their own, at info, so Lambda's filter keeps it. */
export function writeMetricLine(counts: readonly MetricCount[]): void {
  let remaining = [...counts];
  while (remaining.length > 0) {
    const { fields, rest } = embeddedMetricFields(remaining);
    process.stdout.write(
      `${JSON.stringify({ timestamp: new Date().toISOString(), level: 'info', message: 'metrics', ...fields })}\n`,
    );
    remaining = rest;
  }
}
