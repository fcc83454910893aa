/**
 * `npm run bench`: what one verification costs, against a floor that does nothing but look the key
 * up. The last line printed is one JSON object; targets are reported PASS/FAIL, never enforced.
 *
 * - The engine is AWS's DynamoDB Local in its own JVM (full JIT), so its CPU is never the caller's.
 * - Every function of the stack is bundled with the stack's own esbuild settings
 *   (infra/constructs/function-bundling.ts); the floor (bench/floor-handler.ts: one raw
 *   GetItemCommand with ConsistentRead) is bundled the same way.
 * - The timed processes load those bundles, with the environment the synthesized template gives the
 *   authorizer (its CloudFormation references swapped for the local table, pepper and key), never
 *   the sources.
 * - Warm: interleaved calls of the floor and of each case in one process; wall time per call, and
 *   the CPU time of that process per call. Counts: the same cases through a counting proxy in front
 *   of DynamoDB Local and the KMS stand-in. Cold: fresh processes, import + first invocation,
 *   alternating floor and authorizer.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { App, CfnElement, Stack } from 'aws-cdk-lib';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { FUNCTION_BUNDLING } from '../infra/constructs/function-bundling';
import { LatchkeyFunction } from '../infra/constructs/latchkey-function';
import { LatchkeyStack } from '../infra/stack';
import { startDynamoDbLocal } from '../local/engines';
import { useLocalAws } from '../local/local-aws';
import { ensureTable } from '../local/table';
import { hmac, pepperEncryptionContext } from '../shared/domain/pepper';
import { startLocalKms } from './local-kms';
import type { BenchCase, BenchPlan, CaseTiming } from './runner';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.LATCHKEY_BENCH_ITERATIONS ?? 2000);
const WARMUP = Number(process.env.LATCHKEY_BENCH_WARMUP ?? 300);
const COLD_RUNS = Number(process.env.LATCHKEY_BENCH_COLD_RUNS ?? 15);
const COUNT_CALLS = 20;
/** For the record of the source-map decision: `LATCHKEY_BENCH_SOURCE_MAPS=1` measures them on. */
const SOURCE_MAPS = process.env.LATCHKEY_BENCH_SOURCE_MAPS === '1';

const TARGETS = {
  ratio_p50: 1.05,
  client_cpu_ratio: 1.1,
  cold_start_ratio: 1.15,
  authorizer_bundle_ratio: 1.05,
  other_bundle_ratio: 1.5,
} as const;

const log = (line: string) => process.stdout.write(`${line}\n`);
const work = await mkdtemp(join(tmpdir(), 'latchkey-bench-'));
const loadBefore = loadavg()[0] ?? 0;

// --- The stack as it deploys: its functions and the authorizer's environment --------------------
const app = new App({
  context: { fromAddress: 'no-reply@latchkey.example', 'aws:cdk:bundling-stacks': [] },
});
const stack = new LatchkeyStack(app, 'LatchkeyBench', {
  service: { fromAddress: 'no-reply@latchkey.example' },
});
const functions = stack.node.findAll().filter((c): c is LatchkeyFunction => c instanceof LatchkeyFunction);
const resources = app.synth().getStackByName(stack.stackName).template.Resources as Record<
  string,
  {
    Properties: {
      Environment?: { Variables?: Record<string, unknown> };
      LoggingConfig?: { ApplicationLogLevel?: string };
    };
  }
>;
const authorizerFn = stack.service.authorizer.function;
const authorizerResource = authorizerFn.node.defaultChild;
if (!CfnElement.isCfnElement(authorizerResource)) throw new Error('The authorizer has no resource');
const authorizerProperties = resources[Stack.of(authorizerFn).getLogicalId(authorizerResource)]?.Properties;
const authorizerTemplateEnv = authorizerProperties?.Environment?.Variables ?? {};
// Lambda hands the function its application log level as AWS_LAMBDA_LOG_LEVEL (JSON log format).
const authorizerLogLevel = authorizerProperties?.LoggingConfig?.ApplicationLogLevel;

// --- Engines, table, pepper, one key ----------------------------------------------------------------
const [dynamo, kms] = await Promise.all([startDynamoDbLocal({ jit: 'peak' }), startLocalKms()]);
const tableName = 'latchkey-bench';
useLocalAws({ dynamodb: dynamo.endpoint });
await ensureTable(tableName);
const { newAccountId, newKeyId } = await import('../shared/domain/ids');
const { generateToken } = await import('../shared/domain/token');
const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
const pepper = await kms.provider.decryptDataKey(ciphertext, pepperEncryptionContext(1));
const accountId = newAccountId();
const keyId = newKeyId();
const token = generateToken(keyId);
// Case every_policy: a key using every limit at once (an expiry, chosen sites, a read-only grant,
// an address allowlist of 20 ranges, a rotation grace period), called with the replaced token so
// both digests are computed. Still one read and no KMS call.
const policyKeyId = newKeyId();
const policyToken = generateToken(policyKeyId);
const policyCurrentToken = generateToken(policyKeyId);
{
  const { keyOf } = await import('../shared/adapters/table-schema');
  const now = new Date().toISOString();
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keyOf.apiKey(keyId),
        gsi1pk: `ACCOUNT#${accountId}`,
        gsi1sk: `KEY#${keyId}`,
        keyId,
        accountId,
        name: 'bench',
        description: '',
        permissions: ['sites.list', 'stores'],
        siteIds: ['site-a'],
        tokenHash: hmac(pepper, token),
        pepperVersion: 1,
        createdAt: now,
        updatedAt: now,
        createdBy: 'bench',
        updatedBy: 'bench',
        version: 1,
      },
    }),
  );
  const inADay = new Date(Date.now() + 24 * 3600 * 1000).toISOString();
  await client.send(
    new PutCommand({
      TableName: tableName,
      Item: {
        ...keyOf.apiKey(policyKeyId),
        gsi1pk: `ACCOUNT#${accountId}`,
        gsi1sk: `KEY#${policyKeyId}`,
        keyId: policyKeyId,
        accountId,
        name: 'bench every policy',
        description: '',
        permissions: ['sites.list', 'stores:read'],
        siteIds: ['site-a', 'site-b'],
        allowedSiteIds: ['site-a'],
        expiresAt: inADay,
        // 19 ranges that miss and, last, the one the bench's source address is in.
        allowedIps: [...Array.from({ length: 19 }, (_, i) => `198.51.${i}.0/24`), '192.0.2.0/24'],
        tokenHash: hmac(pepper, policyCurrentToken),
        pepperVersion: 1,
        previousToken: { tokenHash: hmac(pepper, policyToken), pepperVersion: 1, validUntil: inADay },
        createdAt: now,
        updatedAt: now,
        createdBy: 'bench',
        updatedBy: 'bench',
        version: 2,
        // Used a moment ago: its first call here makes no lastUsedAt write, so the count is the read alone.
        lastUsedAt: now,
      },
    }),
  );
  client.destroy();
}

/** The template's values, with each CloudFormation reference replaced by its local counterpart. */
const localValues: Record<string, string> = {
  LATCHKEY_TABLE_NAME: tableName,
  LATCHKEY_PEPPERS: JSON.stringify({ '1': Buffer.from(ciphertext).toString('base64') }),
  LATCHKEY_PEPPER_KMS_KEY_ID: 'arn:aws:kms:us-east-1:000000000000:key/bench',
};
const functionEnv: Record<string, string> = {};
for (const [name, value] of Object.entries(authorizerTemplateEnv)) {
  if (typeof value === 'string') functionEnv[name] = value;
  else if (localValues[name] !== undefined) functionEnv[name] = localValues[name];
  else throw new Error(`The bench has no local value for the authorizer's ${name}`);
}
if (authorizerLogLevel !== undefined) functionEnv.AWS_LAMBDA_LOG_LEVEL = authorizerLogLevel;
if (SOURCE_MAPS) functionEnv.NODE_OPTIONS = `${functionEnv.NODE_OPTIONS ?? ''} --enable-source-maps`.trim();

// --- Bundles ------------------------------------------------------------------------------------------
async function bundle(entry: string, outfile: string, sourcemap = SOURCE_MAPS): Promise<number> {
  await build({
    entryPoints: [join(ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    target: FUNCTION_BUNDLING.target,
    minify: FUNCTION_BUNDLING.minify,
    sourcemap,
    sourcesContent: false,
    format: FUNCTION_BUNDLING.format,
    mainFields: [...FUNCTION_BUNDLING.mainFields],
    banner: { js: FUNCTION_BUNDLING.banner },
    logLevel: 'error',
  });
  return (await stat(outfile)).size;
}
const kb = (bytes: number) => Number((bytes / 1024).toFixed(1));
const floorFile = join(work, 'floor', 'index.mjs');
const floorBytes = await bundle('bench/floor-handler.ts', floorFile);
const bundles_kb: Record<string, number> = {};
let authorizerBytes = 0;
const authorizerFile = join(work, 'authorizer', 'index.mjs');
for (const fn of functions) {
  const isAuthorizer = fn === authorizerFn;
  const out = isAuthorizer ? authorizerFile : join(work, 'fn', fn.node.id, 'index.mjs');
  const bytes = await bundle(fn.handlerFile, out);
  bundles_kb[fn.handlerFile] = kb(bytes);
  if (isAuthorizer) authorizerBytes = bytes;
}
const runnerFile = join(work, 'runner.mjs');
await build({
  entryPoints: [join(ROOT, 'bench/runner.ts')],
  outfile: runnerFile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  logLevel: 'error',
});

// --- Cases --------------------------------------------------------------------------------------------
function authorizerEvent(authorization: string): APIGatewayRequestAuthorizerEventV2 {
  const routeKey = 'GET /v1/stores/products';
  return {
    version: '2.0',
    type: 'REQUEST',
    routeArn: 'arn:aws:execute-api:us-east-1:123456789012:bench/$default/GET/v1/stores/products',
    identitySource: [authorization, accountId],
    routeKey,
    rawPath: '/v1/stores/products',
    rawQueryString: '',
    cookies: [],
    headers: { authorization, 'x-account-id': accountId, 'x-site-id': 'site-a' },
    requestContext: {
      accountId: '123456789012',
      apiId: 'bench',
      domainName: 'bench.execute-api.us-east-1.amazonaws.com',
      domainPrefix: 'bench',
      http: {
        method: 'GET',
        path: '/v1/stores/products',
        protocol: 'HTTP/1.1',
        sourceIp: '192.0.2.1',
        userAgent: 'b',
      },
      requestId: 'bench',
      routeKey,
      stage: '$default',
      time: new Date().toISOString(),
      timeEpoch: Date.now(),
    },
  };
}
const lastChar = token.at(-1) === '0' ? '1' : '0';
const cases: BenchCase[] = [
  { name: 'floor', target: 'floor', event: { keyId }, expect: 'found' },
  { name: 'valid', target: 'authorizer', event: authorizerEvent(`Bearer ${token}`), expect: 'allow' },
  {
    name: 'malformed',
    target: 'authorizer',
    event: authorizerEvent('Bearer not-a-latchkey-token'),
    expect: 'deny',
  },
  {
    name: 'bad_checksum',
    target: 'authorizer',
    event: authorizerEvent(`Bearer ${token.slice(0, -1)}${lastChar}`),
    expect: 'deny',
  },
  {
    // CRC32 is not a MAC: anyone can make a token with a valid checksum, and it costs one read.
    name: 'wrong_secret',
    target: 'authorizer',
    event: authorizerEvent(`Bearer ${generateToken(keyId)}`),
    expect: 'deny',
  },
  {
    name: 'unknown_key',
    target: 'authorizer',
    event: authorizerEvent(`Bearer ${generateToken(newKeyId())}`),
    expect: 'deny',
  },
  {
    name: 'every_policy',
    target: 'authorizer',
    event: authorizerEvent(`Bearer ${policyToken}`),
    expect: 'allow',
  },
];
// Each bundle carries its own copy of the SDK, and V8 optimises a copy by how often it runs: the
// floor's copy runs once per authorizer case that reads (valid, wrong secret, unknown key), so both
// copies make the same number of GetItems and neither is measured colder than the other.
const floorCase = cases[0] as BenchCase;
const readingCases = cases.filter(
  (c) => c.target === 'authorizer' && c.name !== 'malformed' && c.name !== 'bad_checksum',
);
const plannedCases = [...cases, ...readingCases.slice(1).map(() => floorCase)];
const basePlan: BenchPlan = {
  bundles: { floor: floorFile, authorizer: authorizerFile },
  cases: plannedCases,
  warmup: WARMUP,
  iterations: ITERATIONS,
};

// --- Processes ----------------------------------------------------------------------------------------
function run(args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [runnerFile, ...args], {
      // Exactly the function's environment plus what Lambda itself provides (region, credentials).
      env: {
        PATH: process.env.PATH ?? '',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'local',
        AWS_SECRET_ACCESS_KEY: 'local',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      err = (err + chunk.toString('utf8')).slice(-4000);
    });
    child.once('exit', (code) => {
      if (code === 0) resolve(out.trim().split('\n').at(-1) ?? '');
      else reject(new Error(`runner ${args[0]} exited ${code}:\n${err}`));
    });
  });
}

const planFile = async (name: string, plan: BenchPlan) => {
  const file = join(work, `${name}.json`);
  await writeFile(file, JSON.stringify(plan));
  return file;
};
const engineEnv = { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_ENDPOINT_URL_KMS: kms.endpoint };

/** Forwards to DynamoDB Local, counting requests; used only in the count pass, never timed. */
async function countingProxy(
  target: string,
): Promise<{ server: Server; endpoint: string; count: () => number }> {
  const url = new URL(target);
  let count = 0;
  const server = createServer((req, res) => {
    count += 1;
    const upstream = httpRequest(
      { host: url.hostname, port: url.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    server,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    count: () => count,
  };
}

// Counts first: a fresh process, so its first verify is a cold one.
const proxy = await countingProxy(dynamo.endpoint);
const countersServer = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ ddb: proxy.count(), kms: kms.requests.length }));
});
await new Promise<void>((resolve) => countersServer.listen(0, '127.0.0.1', resolve));
const countersUrl = `http://127.0.0.1:${(countersServer.address() as AddressInfo).port}/`;
const counted = JSON.parse(
  await run(['count', await planFile('count', { ...basePlan, iterations: COUNT_CALLS, countersUrl })], {
    ...functionEnv,
    ...engineEnv,
    AWS_ENDPOINT_URL_DYNAMODB: proxy.endpoint,
  }),
) as Record<string, { ddb: number; kms: number; calls: number; logBytes: number }>;
await new Promise((resolve) => proxy.server.close(resolve));
await new Promise((resolve) => countersServer.close(resolve));
const perCall = (name: string, what: 'ddb' | 'kms' | 'logBytes') => {
  const c = counted[name];
  return c === undefined ? Number.NaN : Number((c[what] / c.calls).toFixed(3));
};

// Cold starts: alternate, so machine load drifts over both alike.
const cold = { floor: [] as number[], authorizer: [] as number[] };
const coldPlan = await planFile('cold', basePlan);
for (let i = 0; i < COLD_RUNS; i++) {
  for (const target of ['floor', 'authorizer'] as const) {
    const line = await run(['cold', coldPlan, target], { ...functionEnv, ...engineEnv });
    cold[target].push((JSON.parse(line) as { coldMs: number }).coldMs);
  }
}

// Warm.
const warm = JSON.parse(
  await run(['warm', await planFile('warm', basePlan)], { ...functionEnv, ...engineEnv }),
) as Record<string, CaseTiming>;

await Promise.all([dynamo.close(), kms.close()]);
await rm(work, { recursive: true, force: true });

// --- Report -------------------------------------------------------------------------------------------
function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const median = (values: readonly number[]) => percentile(values, 50);
const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const timing = (name: string) => {
  const t = warm[name];
  if (t === undefined) throw new Error(`no timing for ${name}`);
  return {
    p50: percentile(t.wallUs, 50),
    p99: percentile(t.wallUs, 99),
    cpu: t.cpuUsTotal / t.wallUs.length,
  };
};
const floor = timing('floor');
const valid = timing('valid');
const otherBundles = Object.entries(bundles_kb).filter(([file]) => file !== authorizerFn.handlerFile);
const worstOther = Math.max(...otherBundles.map(([, size]) => size));

const summary = {
  engine: 'DynamoDB Local (own JVM, full JIT)',
  machine: `${cpus().length} cores, load ${round(loadBefore, 2)} before, ${round(loadavg()[0] ?? 0, 2)} after`,
  iterations: ITERATIONS,
  source_maps: SOURCE_MAPS,
  floor_p50_us: round(floor.p50),
  floor_p99_us: round(floor.p99),
  authorizer_p50_us: round(valid.p50),
  authorizer_p99_us: round(valid.p99),
  ratio_p50: round(valid.p50 / floor.p50, 3),
  delta_p50_us: round(valid.p50 - floor.p50),
  floor_cpu_us: round(floor.cpu),
  authorizer_cpu_us: round(valid.cpu),
  client_cpu_ratio: round(valid.cpu / floor.cpu, 3),
  cases_p50_us: Object.fromEntries(cases.map((c) => [c.name, round(timing(c.name).p50)])),
  ddb_calls_per_verify: perCall('valid', 'ddb'),
  kms_calls_per_warm_verify: perCall('valid', 'kms'),
  kms_calls_cold_start: perCall('cold_first_verify', 'kms'),
  ddb_calls_per_malformed: perCall('malformed', 'ddb'),
  ddb_calls_per_bad_checksum: perCall('bad_checksum', 'ddb'),
  ddb_calls_per_wrong_secret: perCall('wrong_secret', 'ddb'),
  ddb_calls_per_unknown_key: perCall('unknown_key', 'ddb'),
  ddb_calls_per_every_policy: perCall('every_policy', 'ddb'),
  kms_calls_per_every_policy: perCall('every_policy', 'kms'),
  log_level: authorizerLogLevel ?? 'unset',
  log_bytes_per_allow: perCall('valid', 'logBytes'),
  log_bytes_per_refusal: perCall('unknown_key', 'logBytes'),
  cold_floor_ms: round(median(cold.floor)),
  cold_authorizer_ms: round(median(cold.authorizer)),
  cold_start_ratio: round(median(cold.authorizer) / median(cold.floor), 3),
  authorizer_bundle_kb: kb(authorizerBytes),
  floor_bundle_kb: kb(floorBytes),
  authorizer_bundle_ratio: round(authorizerBytes / floorBytes, 3),
  worst_other_bundle_ratio: round((worstOther * 1024) / floorBytes, 3),
  bundles_kb,
};

const targets = [
  { name: `ratio_p50 <= ${TARGETS.ratio_p50}`, ok: summary.ratio_p50 <= TARGETS.ratio_p50 },
  {
    name: `client_cpu_ratio <= ${TARGETS.client_cpu_ratio}`,
    ok: summary.client_cpu_ratio <= TARGETS.client_cpu_ratio,
  },
  {
    name: `cold_start_ratio <= ${TARGETS.cold_start_ratio}`,
    ok: summary.cold_start_ratio <= TARGETS.cold_start_ratio,
  },
  {
    name: `authorizer bundle <= ${TARGETS.authorizer_bundle_ratio} x floor`,
    ok: summary.authorizer_bundle_ratio <= TARGETS.authorizer_bundle_ratio,
  },
  {
    name: `every other function <= ${TARGETS.other_bundle_ratio} x floor`,
    ok: summary.worst_other_bundle_ratio <= TARGETS.other_bundle_ratio,
  },
  { name: '1 DynamoDB call per verify', ok: summary.ddb_calls_per_verify === 1 },
  { name: '0 KMS calls per warm verify', ok: summary.kms_calls_per_warm_verify === 0 },
  { name: '0 DynamoDB calls per malformed token', ok: summary.ddb_calls_per_malformed === 0 },
  { name: '0 DynamoDB calls per bad checksum', ok: summary.ddb_calls_per_bad_checksum === 0 },
  {
    name: '1 DynamoDB call and 0 KMS calls per every-policy verify',
    ok: summary.ddb_calls_per_every_policy === 1 && summary.kms_calls_per_every_policy === 0,
  },
  { name: '0 bytes of application log per allowed verification', ok: summary.log_bytes_per_allow === 0 },
];

log(`Latchkey authorizer benchmark: ${summary.engine}; ${summary.machine}`);
log(`${ITERATIONS} interleaved iterations after ${WARMUP} warm-up rounds; ${COLD_RUNS} cold starts each`);
const rows: string[][] = [['case', 'p50 (us)', 'p99 (us)', 'CPU/call (us)', 'DynamoDB / KMS per call']];
// Every case once, the floor included (it runs several times a round; all its calls are its samples).
for (const c of cases) {
  const t = timing(c.name);
  rows.push([
    c.name,
    `${round(t.p50)}`,
    `${round(t.p99)}`,
    `${round(t.cpu)}`,
    `${perCall(c.name, 'ddb')} / ${perCall(c.name, 'kms')}`,
  ]);
}
const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0))) ?? [];
for (const r of rows) log(r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
log('');
log(
  `cold start (import + first call, median): floor ${summary.cold_floor_ms} ms, authorizer ${summary.cold_authorizer_ms} ms`,
);
log(
  `bundles (KB): ${Object.entries(bundles_kb)
    .map(([f, s]) => `${f} ${s}`)
    .join(', ')}; floor ${summary.floor_bundle_kb}`,
);
log(
  `authorizer log per verification at level ${summary.log_level}: allowed ${summary.log_bytes_per_allow} bytes, ` +
    `refused (unknown key) ${summary.log_bytes_per_refusal} bytes`,
);
for (const t of targets) log(`${t.ok ? 'PASS' : 'FAIL'}  ${t.name}`);
log(
  JSON.stringify({
    ...summary,
    targets: Object.fromEntries(targets.map((t) => [t.name, t.ok ? 'PASS' : 'FAIL'])),
  }),
);
