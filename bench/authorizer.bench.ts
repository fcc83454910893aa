/**
 * `npm run bench`: what one verification costs. Against DynamoDB Local in its own process, after warm-up, many
 * interleaved iterations of (a) a bare strongly consistent GetItem of the key item through the
 * shared client, (b) the authorizer verifying a valid token end to end, (c) the authorizer refusing
 * a malformed token. DynamoDB commands are counted by middleware on the real client, KMS requests
 * by the KMS stand-in the authorizer's signed call goes to. Then both handlers are bundled as the
 * stack bundles them and their sizes compared. The last line is a JSON summary; the exit code is
 * non-zero when a call-count or bundle-size target fails (timings are reported, not enforced).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayRequestAuthorizerEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { startDynamoDbLocal } from '../local/engines';
import { useLocalAws } from '../local/local-aws';
import { startLocalKms } from './local-kms';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ITERATIONS = Number(process.env.LATCHKEY_BENCH_ITERATIONS ?? 4000);
const WARMUP = 400;

const dynamoDbLocal = await startDynamoDbLocal({ jit: 'peak' });
const kms = await startLocalKms();
const tableName = 'latchkey-bench';
useLocalAws({ dynamodb: dynamoDbLocal.endpoint });
Object.assign(process.env, {
  AWS_ENDPOINT_URL_KMS: kms.endpoint,
  LATCHKEY_TABLE_NAME: tableName,
  LATCHKEY_KEY_PROVIDER: 'kms',
});

const { pepperEncryptionContext, hmac } = await import('../shared/domain/pepper');
const ciphertext = kms.provider.generateDataKeyWithoutPlaintext(pepperEncryptionContext(1));
const pepper = await kms.provider.decryptDataKey(ciphertext, pepperEncryptionContext(1));
process.env.LATCHKEY_PEPPERS = JSON.stringify({ '1': Buffer.from(ciphertext).toString('base64') });

const { keyOf } = await import('../shared/adapters/table-schema');
const { ensureTable } = await import('../local/table');
const { newAccountId, newKeyId } = await import('../shared/domain/ids');
const { generateToken } = await import('../shared/domain/token');
const { dynamoDocumentClient } = await import('../shared/adapters/aws-clients');

await ensureTable(tableName);
const accountId = newAccountId();
const keyId = newKeyId();
const token = generateToken(keyId);
const now = new Date().toISOString();
await dynamoDocumentClient().send(
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

const { handler: authorize } = await import('../functions/authorizer/authorize');
const { handler: bareGetItem } = await import('./bare-getitem-handler');

let ddbCalls = 0;
dynamoDocumentClient().middlewareStack.add(
  (next) => async (args) => {
    ddbCalls += 1;
    return next(args);
  },
  { step: 'initialize', name: 'benchCounter' },
);

function event(authorization: string): APIGatewayRequestAuthorizerEventV2 {
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
      time: now,
      timeEpoch: Date.now(),
    },
  };
}
const validEvent = event(`Bearer ${token}`);
const malformedEvent = event(`Bearer ${token.slice(0, -1)}${token.endsWith('0') ? '1' : '0'}`);

// The authorizer's log lines go where Lambda's would (its stdout), here counted and dropped: the
// bytes per allowed and per refused verification are what CloudWatch Logs would ingest from the
// function itself at the default level (Lambda's own lines are set to WARN and not written).
let logBytes = 0;
const stdoutWrite = process.stdout.write.bind(process.stdout);
const consoleLog = console.log;
process.stdout.write = ((chunk: string | Uint8Array) => {
  logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.byteLength;
  return true;
}) as typeof process.stdout.write;
console.log = (...args: unknown[]) => process.stdout.write(`${args.join(' ')}\n`);

async function expectAllowed(allowed: boolean) {
  const result = await authorize(allowed ? validEvent : malformedEvent);
  if (!('isAuthorized' in result) || result.isAuthorized !== allowed) {
    throw new Error(`The authorizer ${allowed ? 'refused the valid' : 'allowed the malformed'} token`);
  }
}

const kmsBeforeCold = kms.requests.length;
await expectAllowed(true); // cold: decrypts the pepper, records lastUsedAt
const kmsCold = kms.requests.length - kmsBeforeCold;
for (let i = 0; i < WARMUP; i++) {
  await bareGetItem({ keyId });
  await expectAllowed(true);
  await expectAllowed(false);
}

const samples = { getitem: [] as number[], authorizer: [] as number[], malformed: [] as number[] };
const calls = { getitem: 0, authorizer: 0, malformed: 0 };
const logged = { authorizer: 0, malformed: 0 };
const kmsWarmBefore = kms.requests.length;
let kmsMalformed = 0;
for (let i = 0; i < ITERATIONS; i++) {
  let before = ddbCalls;
  let start = process.hrtime.bigint();
  const { found } = await bareGetItem({ keyId });
  samples.getitem.push(Number(process.hrtime.bigint() - start) / 1000);
  calls.getitem += ddbCalls - before;
  if (!found) throw new Error('The bare GetItem did not find the key');

  before = ddbCalls;
  let logBefore = logBytes;
  start = process.hrtime.bigint();
  await expectAllowed(true);
  samples.authorizer.push(Number(process.hrtime.bigint() - start) / 1000);
  calls.authorizer += ddbCalls - before;
  logged.authorizer += logBytes - logBefore;

  before = ddbCalls;
  logBefore = logBytes;
  const kmsBefore = kms.requests.length;
  start = process.hrtime.bigint();
  await expectAllowed(false);
  samples.malformed.push(Number(process.hrtime.bigint() - start) / 1000);
  calls.malformed += ddbCalls - before;
  logged.malformed += logBytes - logBefore;
  kmsMalformed += kms.requests.length - kmsBefore;
}
const kmsWarm = kms.requests.length - kmsWarmBefore - kmsMalformed;
process.stdout.write = stdoutWrite;
console.log = consoleLog;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}

/** Bundled exactly as infra/constructs/latchkey-function.ts has NodejsFunction bundle it. */
async function bundleBytes(entry: string): Promise<number> {
  const result = await build({
    entryPoints: [join(ROOT, entry)],
    bundle: true,
    minify: true,
    platform: 'node',
    target: 'node24',
    format: 'esm',
    mainFields: ['module', 'main'],
    banner: {
      js:
        "import { createRequire as __latchkeyCreateRequire } from 'node:module';" +
        'const require = __latchkeyCreateRequire(import.meta.url);',
    },
    write: false,
    logLevel: 'error',
  });
  return result.outputFiles.reduce((sum, file) => sum + file.contents.byteLength, 0);
}
const authorizerBytes = await bundleBytes('functions/authorizer/authorize.ts');
const bareBytes = await bundleBytes('bench/bare-getitem-handler.ts');

const round = (n: number, digits = 1) => Number(n.toFixed(digits));
const summary = {
  iterations: ITERATIONS,
  authorizer_p50_us: round(percentile(samples.authorizer, 50)),
  authorizer_p99_us: round(percentile(samples.authorizer, 99)),
  getitem_p50_us: round(percentile(samples.getitem, 50)),
  getitem_p99_us: round(percentile(samples.getitem, 99)),
  ratio_p50: round(percentile(samples.authorizer, 50) / percentile(samples.getitem, 50), 3),
  malformed_p50_us: round(percentile(samples.malformed, 50)),
  malformed_p99_us: round(percentile(samples.malformed, 99)),
  ddb_calls_per_getitem: round(calls.getitem / ITERATIONS, 3),
  ddb_calls_per_verify: round(calls.authorizer / ITERATIONS, 3),
  kms_calls_cold_start: kmsCold,
  kms_calls_per_warm_verify: round(kmsWarm / ITERATIONS, 3),
  ddb_calls_per_malformed: round(calls.malformed / ITERATIONS, 3),
  kms_calls_per_malformed: round(kmsMalformed / ITERATIONS, 3),
  log_bytes_per_allow: round(logged.authorizer / ITERATIONS),
  log_bytes_per_refusal: round(logged.malformed / ITERATIONS),
  authorizer_bundle_kb: round(authorizerBytes / 1024),
  bare_bundle_kb: round(bareBytes / 1024),
  bundle_ratio: round(authorizerBytes / bareBytes, 3),
};

const targets = [
  { name: 'ratio_p50 <= 1.15', ok: summary.ratio_p50 <= 1.15, enforced: false },
  { name: '1 DynamoDB call per warm verify', ok: summary.ddb_calls_per_verify === 1, enforced: true },
  { name: '0 KMS calls per warm verify', ok: summary.kms_calls_per_warm_verify === 0, enforced: true },
  { name: '0 DynamoDB calls per malformed token', ok: summary.ddb_calls_per_malformed === 0, enforced: true },
  { name: 'authorizer bundle <= 1.10 x bare', ok: summary.bundle_ratio <= 1.1, enforced: true },
  {
    name: '0 bytes of application log per allowed verification',
    ok: summary.log_bytes_per_allow === 0,
    enforced: true,
  },
];

const rows: [string, string, string, string][] = [
  ['case', 'p50 (us)', 'p99 (us)', 'DynamoDB / KMS calls each'],
  [
    '(a) bare GetItem',
    `${summary.getitem_p50_us}`,
    `${summary.getitem_p99_us}`,
    `${summary.ddb_calls_per_getitem} / 0`,
  ],
  [
    '(b) authorizer, valid token',
    `${summary.authorizer_p50_us}`,
    `${summary.authorizer_p99_us}`,
    `${summary.ddb_calls_per_verify} / ${summary.kms_calls_per_warm_verify}`,
  ],
  [
    '(c) authorizer, malformed token',
    `${summary.malformed_p50_us}`,
    `${summary.malformed_p99_us}`,
    `${summary.ddb_calls_per_malformed} / ${summary.kms_calls_per_malformed}`,
  ],
];
const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)));
const line = (r: readonly string[]) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ');
console.log(
  `Latchkey authorizer benchmark: ${ITERATIONS} iterations each after ${WARMUP} warm-up rounds (DynamoDB Local)`,
);
console.log(line(rows[0] ?? []));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows.slice(1)) console.log(line(r));
console.log('');
console.log(
  `ratio p50 (b / a): ${summary.ratio_p50}; KMS calls on the cold start: ${summary.kms_calls_cold_start}`,
);
console.log(
  `bundles (esbuild, minified, ESM, node24, AWS SDK bundled): authorizer ${summary.authorizer_bundle_kb} KB, ` +
    `bare GetItem ${summary.bare_bundle_kb} KB, ratio ${summary.bundle_ratio}`,
);
console.log(
  `authorizer log per verification (application lines, default level): allowed ${summary.log_bytes_per_allow} bytes, ` +
    `refused ${summary.log_bytes_per_refusal} bytes`,
);
for (const t of targets)
  console.log(`${t.ok ? 'PASS' : 'FAIL'}  ${t.name}${t.enforced ? '' : ' (reported only)'}`);

await kms.close();
await dynamoDbLocal.close();
console.log(JSON.stringify(summary));
process.exitCode = targets.some((t) => t.enforced && !t.ok) ? 1 : 0;
