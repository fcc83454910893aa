/**
 * The process `npm run bench` times in. It loads the bundled functions exactly as Lambda would (the
 * stack's esbuild output, the template's environment and NODE_OPTIONS) and never the sources, so
 * what it measures is what deploys. The orchestrator (authorizer.bench.ts) starts it three ways:
 *
 *   runner.mjs warm  <plan.json>   warm-up, then interleaved timed calls of every case
 *   runner.mjs count <plan.json>   calls of every case, reading the engines' request counters
 *   runner.mjs cold  <plan.json> <floor|authorizer>   import + first invocation, once
 *
 * Each prints one JSON line on stdout. Handler log lines go to stderr, which the orchestrator drops.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export interface BenchCase {
  readonly name: string;
  /** Which bundle handles it. */
  readonly target: 'floor' | 'authorizer';
  readonly event: unknown;
  /** What the handler must answer; a wrong answer stops the bench (a fast wrong answer is no result). */
  readonly expect: 'found' | 'allow' | 'deny';
}

export interface BenchPlan {
  readonly bundles: { readonly floor: string; readonly authorizer: string };
  readonly cases: readonly BenchCase[];
  readonly warmup: number;
  readonly iterations: number;
  /** Where the orchestrator reports its request counters (count mode). */
  readonly countersUrl?: string;
}

export interface CaseTiming {
  readonly wallUs: number[];
  /** CPU time (user + system) of this process per call, in microseconds, summed. */
  readonly cpuUsTotal: number;
}

type Handler = (event: unknown) => Promise<unknown>;

const [mode, planPath, which] = process.argv.slice(2);
if (planPath === undefined) throw new Error('usage: runner.mjs <warm|count|cold> <plan.json> [target]');
const plan = JSON.parse(readFileSync(planPath, 'utf8')) as BenchPlan;

// The functions log to stdout, as Lambda's JSON log format reads it; here that stdout carries the
// result, so their lines go to stderr instead, counted: the bytes are what CloudWatch Logs would ingest.
const stdoutWrite = process.stdout.write.bind(process.stdout);
let logBytes = 0;
process.stdout.write = ((chunk: string | Uint8Array) => {
  logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
  return process.stderr.write(chunk);
}) as typeof process.stdout.write;
console.log = (...args: unknown[]) => process.stdout.write(`${args.join(' ')}\n`);
const emit = (value: unknown) => stdoutWrite(`${JSON.stringify(value)}\n`);

async function load(target: 'floor' | 'authorizer'): Promise<Handler> {
  const module = (await import(pathToFileURL(plan.bundles[target]).href)) as { handler: Handler };
  return module.handler;
}

function check(benchCase: BenchCase, result: unknown): void {
  const answer = result as { found?: boolean; isAuthorized?: boolean };
  const ok =
    benchCase.expect === 'found'
      ? answer.found === true
      : answer.isAuthorized === (benchCase.expect === 'allow');
  if (!ok) throw new Error(`case ${benchCase.name} answered ${JSON.stringify(result)}`);
}

if (mode === 'cold') {
  const target = which === 'authorizer' ? 'authorizer' : 'floor';
  const first = plan.cases.find((c) => c.target === target && c.expect !== 'deny');
  if (first === undefined) throw new Error(`no case for ${target}`);
  const start = process.hrtime.bigint();
  const handler = await load(target);
  check(first, await handler(first.event));
  emit({ coldMs: Number(process.hrtime.bigint() - start) / 1e6 });
  process.exit(0);
}

const handlers = { floor: await load('floor'), authorizer: await load('authorizer') };

if (mode === 'count') {
  if (plan.countersUrl === undefined) throw new Error('count mode needs countersUrl');
  const url = plan.countersUrl;
  const counters = async () => (await (await fetch(url)).json()) as { ddb: number; kms: number };
  const counts: Record<string, { ddb: number; kms: number; calls: number; logBytes: number }> = {};
  // The first call of a fresh process: the cold decrypt of the pepper, plus any lastUsedAt write.
  const coldBefore = await counters();
  const validCase = plan.cases.find((c) => c.target === 'authorizer' && c.expect === 'allow');
  if (validCase === undefined) throw new Error('no valid-token case');
  check(validCase, await handlers.authorizer(validCase.event));
  const coldAfter = await counters();
  counts.cold_first_verify = {
    ddb: coldAfter.ddb - coldBefore.ddb,
    kms: coldAfter.kms - coldBefore.kms,
    calls: 1,
    logBytes: 0,
  };
  for (const benchCase of plan.cases) {
    const before = await counters();
    const logBefore = logBytes;
    for (let i = 0; i < plan.iterations; i++)
      check(benchCase, await handlers[benchCase.target](benchCase.event));
    const after = await counters();
    counts[benchCase.name] = {
      ddb: after.ddb - before.ddb,
      kms: after.kms - before.kms,
      calls: plan.iterations,
      logBytes: logBytes - logBefore,
    };
  }
  emit(counts);
  process.exit(0);
}

// warm: every case once per round, in turn, so drift in the engine or the machine hits all alike;
// each round starts one case later, so no case always follows the same one.
for (let i = 0; i < plan.warmup; i++) {
  for (const benchCase of plan.cases) check(benchCase, await handlers[benchCase.target](benchCase.event));
}
const timings: Record<string, CaseTiming> = {};
for (const benchCase of plan.cases) timings[benchCase.name] = { wallUs: [], cpuUsTotal: 0 };
for (let i = 0; i < plan.iterations; i++) {
  for (let j = 0; j < plan.cases.length; j++) {
    const benchCase = plan.cases[(i + j) % plan.cases.length] as BenchCase;
    const handler = handlers[benchCase.target];
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await handler(benchCase.event);
    const wall = Number(process.hrtime.bigint() - start) / 1000;
    const used = process.cpuUsage(cpu);
    check(benchCase, result);
    const timing = timings[benchCase.name] as { wallUs: number[]; cpuUsTotal: number };
    timing.wallUs.push(wall);
    timing.cpuUsTotal += used.user + used.system;
  }
}
emit(timings);
process.exit(0);
