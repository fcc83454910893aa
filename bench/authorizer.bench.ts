/**
 * `npm run bench`: what one verification costs, against floors that do nothing but look the key
 * up. The last line printed is one JSON object; targets are reported PASS/FAIL, never enforced.
 *
 * - The engine is AWS's DynamoDB Local in its own JVM (full JIT), so its CPU is never the caller's.
 * - Every function of the stack is bundled with the stack's own esbuild settings
 *   (infra/constructs/function-bundling.ts). So are the two floors (bundles.ts): the floor the
 *   targets are judged against (bench/floor-handler.ts: one raw GetItemCommand with ConsistentRead
 *   through the SDK client) and the transport floor (bench/transport-floor-handler.ts: the same
 *   GetItem made the authorizer's way, with no SDK client), which shows what Latchkey's own checks
 *   cost on top of its own read.
 * - The timed processes (runner.ts) load those bundles, with the environment the synthesized template
 *   gives the authorizer (stack-under-test.ts), never the sources.
 * - Warm: each floor and the authorizer in a process of its own, taking turns a round each
 *   (processes.ts); wall time per call, and the CPU time of that process per call, including the
 *   work the call leaves queued behind it. Counts: the same cases through a counting proxy in front
 *   of DynamoDB Local and the KMS stand-in. Cold: fresh processes, import + first invocation,
 *   the three taking turns.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDynamoDbLocal } from '../local/engines';
import { useLocalAws } from '../local/local-aws';
import { ensureTable } from '../local/table';
import { pepperEncryptionContext } from '../shared/domain/pepper';
import { bundleFunction, bundleRunner, kb } from './bundles';
import { benchCases } from './fixtures';
import { startLocalKms } from './local-kms';
import { type BenchPlan, type CaseCounts, TARGETS, type Target } from './plan';
import { countersServer, countingProxy, runOnce, warmTimings } from './processes';
import { printReport, summarize } from './report';
import { localFunctionEnvironment, synthesizeStackUnderTest } from './stack-under-test';

const ITERATIONS = Number(process.env.LATCHKEY_BENCH_ITERATIONS ?? 2000);
const WARMUP = Number(process.env.LATCHKEY_BENCH_WARMUP ?? 300);
const COLD_RUNS = Number(process.env.LATCHKEY_BENCH_COLD_RUNS ?? 15);
const COUNT_CALLS = 20;
/** For the record of the source-map decision: `LATCHKEY_BENCH_SOURCE_MAPS=1` measures them on. */
const SOURCE_MAPS = process.env.LATCHKEY_BENCH_SOURCE_MAPS === '1';

const log = (line: string) => process.stdout.write(`${line}\n`);
const work = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
const loadBefore = loadavg()[0] ?? 0;
const stack = synthesizeStackUnderTest();

// Engines, table, pepper, keys.
const [dynamo, kms] = await Promise.all([startDynamoDbLocal({ jit: 'peak' }), startLocalKms()]);
const tableName = 'latchkey-bench';
useLocalAws({ dynamodb: dynamo.endpoint });
await ensureTable(tableName);
const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
// The keys are made the service's way: digests under the pepper the local KMS stand-in decrypts.
const cases = await benchCases(tableName, { encryptedPeppers: new Map([[1, ciphertext]]) }, kms.provider);
const functionEnv = localFunctionEnvironment(
  stack,
  {
    LATCHKEY_TABLE_NAME: tableName,
    LATCHKEY_PEPPERS: JSON.stringify({ '1': Buffer.from(ciphertext).toString('base64') }),
    LATCHKEY_PEPPER_KMS_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/bench',
  },
  SOURCE_MAPS,
);

// Bundles.
const floorFile = join(work, 'floor', 'index.mjs');
const floorBytes = await bundleFunction('bench/floor-handler.ts', floorFile, SOURCE_MAPS);
const transportFloorFile = join(work, 'transport-floor', 'index.mjs');
const transportFloorBytes = await bundleFunction(
  'bench/transport-floor-handler.ts',
  transportFloorFile,
  SOURCE_MAPS,
);
const authorizerFile = join(work, 'authorizer', 'index.mjs');
const bundlesKb: Record<string, number> = {};
let authorizerBytes = 0;
for (const [index, handlerFile] of stack.handlerFiles.entries()) {
  const isAuthorizer = handlerFile === stack.authorizerHandlerFile;
  const out = isAuthorizer ? authorizerFile : join(work, 'fn', String(index), 'index.mjs');
  const bytes = await bundleFunction(handlerFile, out, SOURCE_MAPS);
  bundlesKb[handlerFile] = kb(bytes);
  if (isAuthorizer) authorizerBytes = bytes;
}
const runnerFile = join(work, 'runner.mjs');
await bundleRunner(runnerFile);

// The floor's process makes the GetItem of each authorizer case that reads (fixtures.ts), so both
// processes make the same calls to the engine per round and keep the same rhythm.
const basePlan: BenchPlan = {
  bundles: { floor: floorFile, transport_floor: transportFloorFile, authorizer: authorizerFile },
  cases,
  warmup: WARMUP,
  iterations: ITERATIONS,
};
const planFile = async (name: string, plan: BenchPlan) => {
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(plan));
  return file;
};
const engineEnv = {
  ...functionEnv,
  AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
  AWS_ENDPOINT_URL_KMS: kms.endpoint,
};

// Counts first, in a fresh process, so its first verification is a cold one.
const proxy = await countingProxy(dynamo.endpoint);
const counters = await countersServer(() => ({ ddb: proxy.count(), kms: kms.requests.length }));
const counted = JSON.parse(
  await runOnce(
    runnerFile,
    ['count', await planFile('count', { ...basePlan, iterations: COUNT_CALLS, countersUrl: counters.url })],
    { ...engineEnv, AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint },
  ),
) as Record<string, CaseCounts>;
await Promise.all([proxy.close(), counters.close()]);

// Cold starts: take turns, so machine load drifts over all three alike.
const cold: Record<Target, number[]> = { floor: [], transport_floor: [], authorizer: [] };
const coldPlan = await planFile('cold', basePlan);
for (let i = 0; i < COLD_RUNS; i++) {
  for (const target of TARGETS) {
    const line = await runOnce(runnerFile, ['cold', coldPlan, target], engineEnv);
    cold[target].push((JSON.parse(line) as { coldMs: number }).coldMs);
  }
}

const warm = await warmTimings(runnerFile, await planFile('warm', basePlan), engineEnv, WARMUP, ITERATIONS);

await Promise.all([dynamo.close(), kms.close()]);
await rm(work, { recursive: true, force: true });

const results = {
  machine: `${cpus().length} cores, load ${loadBefore.toFixed(2)} before, ${(loadavg()[0] ?? 0).toFixed(2)} after`,
  iterations: ITERATIONS,
  warmup: WARMUP,
  coldRuns: COLD_RUNS,
  sourceMaps: SOURCE_MAPS,
  logLevel: stack.authorizerLogLevel,
  cases,
  warm,
  counted,
  cold,
  floorBytes,
  transportFloorBytes,
  authorizerBytes,
  authorizerHandlerFile: stack.authorizerHandlerFile,
  bundlesKb,
};
printReport(results, summarize(results), log);
