/**
 * The process `npm run bench` times in. It loads a bundled function exactly as Lambda would (the
 * stack's esbuild output, the template's environment and NODE_OPTIONS) and never the sources, so
 * what it measures is what deploys. The orchestrator (authorizer.bench.ts) starts it three ways:
 *
 *   runner.mjs warm  <plan.json> <target>   one bundle; rounds of timed calls on request
 *   runner.mjs count <plan.json>                       calls of every case, reading request counters
 *   runner.mjs cold  <plan.json> <target>   import + first invocation, once
 *
 * A target is `floor`, `transport_floor` or `authorizer` (plan.ts).
 *
 * Warm runs one process per bundle, as Lambda runs one function per process: two copies of the SDK
 * in one process slow whichever runs after the other (measured: a case that followed the floor cost
 * about 150 us more CPU than the same case after another authorizer case). The orchestrator has the
 * two processes take turns, a round each, so load on the machine drifts over both alike.
 *
 * Count and cold print one JSON line on stdout; warm talks over the IPC channel. Handler log lines
 * go to stderr, which the orchestrator drops.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  type BenchCase,
  type BenchPlan,
  type CaseCounts,
  type CaseTiming,
  TARGETS,
  type Target,
  type WarmMessage,
  type WarmReply,
} from './plan';

type Handler = (event: unknown) => Promise<unknown>;

const [mode, planPath, which] = process.argv.slice(2);
if (planPath === undefined) throw new Error('usage: runner.mjs <warm|count|cold> <plan.json> [target]');
const plan = JSON.parse(readFileSync(planPath, 'utf8')) as BenchPlan;
const target = TARGETS.find((t) => t === which) ?? 'floor';

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

async function load(bundle: Target): Promise<Handler> {
  const module = (await import(pathToFileURL(plan.bundles[bundle]).href)) as { handler: Handler };
  return module.handler;
}

function check(benchCase: BenchCase, result: unknown): void {
  const answer = result as { found?: boolean; isAuthorized?: boolean };
  const ok =
    benchCase.expect === 'found' || benchCase.expect === 'missing'
      ? answer.found === (benchCase.expect === 'found')
      : answer.isAuthorized === (benchCase.expect === 'allow');
  if (!ok) throw new Error(`case ${benchCase.name} answered ${JSON.stringify(result)}`);
}

/** Lets everything a call left queued (socket bookkeeping after its response, log writes) run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

if (mode === 'cold') {
  const first = plan.cases.find((c) => c.target === target && (c.expect === 'found' || c.expect === 'allow'));
  if (first === undefined) throw new Error(`no case for ${target}`);
  const start = process.hrtime.bigint();
  const handler = await load(target);
  check(first, await handler(first.event));
  emit({ coldMs: Number(process.hrtime.bigint() - start) / 1e6 });
  process.exit(0);
}

if (mode === 'count') {
  if (plan.countersUrl === undefined) throw new Error('count mode needs countersUrl');
  const url = plan.countersUrl;
  const counters = async () => (await (await fetch(url)).json()) as { ddb: number; kms: number };
  const counts: Record<string, CaseCounts> = {};
  // A fresh process from before its import: the pepper decrypt starts at module load, so the
  // counters are read before the bundle is imported and after its first verification has settled.
  const validCase = plan.cases.find((c) => c.target === 'authorizer' && c.expect === 'allow');
  if (validCase === undefined) throw new Error('no valid-token case');
  const coldBefore = await counters();
  const authorizer = await load('authorizer');
  check(validCase, await authorizer(validCase.event));
  await settle();
  const coldAfter = await counters();
  counts.cold_start = {
    ddb: coldAfter.ddb - coldBefore.ddb,
    kms: coldAfter.kms - coldBefore.kms,
    calls: 1,
    logBytes: 0,
  };
  const handlers: Record<Target, Handler> = {
    floor: await load('floor'),
    transport_floor: await load('transport_floor'),
    authorizer,
  };
  for (const benchCase of plan.cases) {
    const before = await counters();
    const logBefore = logBytes;
    for (let i = 0; i < plan.iterations; i++)
      check(benchCase, await handlers[benchCase.target](benchCase.event));
    await settle();
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

// warm: this bundle's cases, one round per request from the orchestrator, in an order shuffled anew
// each round (seeded, so runs repeat it). Rotating a fixed order would not do: every case would keep
// the same neighbour, and the one after the allowed case would always pay for running cold code.
const send = (reply: WarmReply) =>
  new Promise<void>((resolve, reject) =>
    process.send?.(reply, undefined, undefined, (error) => (error ? reject(error) : resolve())),
  );
const handler = await load(target);
const mine = plan.cases.filter((c) => c.target === target);
const timings: Record<string, CaseTiming> = {};
for (const benchCase of mine) timings[benchCase.name] ??= { wallUs: [], cpuUsTotal: 0 };

/** Fisher-Yates with a small seeded generator (mulberry32), seeded by the round's index. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  let state = seed >>> 0;
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

async function round(index: number, timed: boolean): Promise<void> {
  for (const benchCase of shuffled(mine, index + 1)) {
    // Work left over from before (the last call, the IPC reply) runs first, so it is charged to
    // the call that caused it; this call's CPU includes what it leaves behind.
    await settle();
    const cpu = process.cpuUsage();
    const start = process.hrtime.bigint();
    const result = await handler(benchCase.event);
    const wall = Number(process.hrtime.bigint() - start) / 1000;
    await settle();
    const used = process.cpuUsage(cpu);
    check(benchCase, result);
    if (!timed) continue;
    const timing = timings[benchCase.name] as { wallUs: number[]; cpuUsTotal: number };
    timing.wallUs.push(wall);
    timing.cpuUsTotal += used.user + used.system;
  }
}

process.on('message', (message: WarmMessage) => {
  const work =
    message.kind === 'round'
      ? round(message.index, message.timed).then(() => send({ kind: 'done' }))
      : send({ kind: 'timings', timings });
  work.catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
});
// The orchestrator disconnects once it has the timings (exiting here first could lose them).
process.on('disconnect', () => process.exit(0));
await send({ kind: 'ready' });
