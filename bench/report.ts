import type { BenchCase, CaseCounts, CaseTiming, Target } from './plan';

/** The bench's figures, its targets (reported PASS/FAIL, never enforced) and how it prints them. */
export const TARGETS = {
  ratio_p50: 1.05,
  client_cpu_ratio: 1.1,
  cold_start_ratio: 1.15,
  authorizer_bundle_ratio: 1.05,
  other_bundle_ratio: 1.5,
} as const;

export interface BenchResults {
  readonly machine: string;
  readonly iterations: number;
  readonly warmup: number;
  readonly coldRuns: number;
  readonly sourceMaps: boolean;
  readonly logLevel: string | undefined;
  readonly cases: readonly BenchCase[];
  readonly warm: Readonly<Record<string, CaseTiming>>;
  readonly counted: Readonly<Record<string, CaseCounts>>;
  readonly cold: Readonly<Record<Target, readonly number[]>>;
  readonly floorBytes: number;
  readonly transportFloorBytes: number;
  readonly authorizerBytes: number;
  readonly authorizerHandlerFile: string;
  readonly bundlesKb: Readonly<Record<string, number>>;
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
}
const round = (n: number, digits = 1) => Number(n.toFixed(digits));

export function summarize(r: BenchResults) {
  const timing = (name: string) => {
    const t = r.warm[name];
    if (t === undefined) throw new Error(`no timing for ${name}`);
    return {
      p50: percentile(t.wallUs, 50),
      p99: percentile(t.wallUs, 99),
      cpu: t.cpuUsTotal / t.wallUs.length,
    };
  };
  const perCall = (name: string, what: 'ddb' | 'kms' | 'logBytes') => {
    const c = r.counted[name];
    return c === undefined ? Number.NaN : Number((c[what] / c.calls).toFixed(3));
  };
  const floor = timing('floor');
  const transportFloor = timing('transport_floor');
  const valid = timing('valid');
  const others = Object.entries(r.bundlesKb).filter(([file]) => file !== r.authorizerHandlerFile);
  const worstOther = Math.max(...others.map(([, size]) => size));
  const median = (values: readonly number[]) => percentile(values, 50);
  return {
    engine: 'DynamoDB Local (own JVM, full JIT)',
    machine: r.machine,
    iterations: r.iterations,
    source_maps: r.sourceMaps,
    floor_p50_us: round(floor.p50),
    floor_p99_us: round(floor.p99),
    authorizer_p50_us: round(valid.p50),
    authorizer_p99_us: round(valid.p99),
    ratio_p50: round(valid.p50 / floor.p50, 3),
    delta_p50_us: round(valid.p50 - floor.p50),
    floor_cpu_us: round(floor.cpu),
    authorizer_cpu_us: round(valid.cpu),
    client_cpu_ratio: round(valid.cpu / floor.cpu, 3),
    // Not targets: Latchkey's own checks over a bare GetItem made its own way (transport-floor-handler.ts).
    transport_floor_p50_us: round(transportFloor.p50),
    transport_floor_cpu_us: round(transportFloor.cpu),
    ratio_p50_vs_transport_floor: round(valid.p50 / transportFloor.p50, 3),
    delta_p50_vs_transport_floor_us: round(valid.p50 - transportFloor.p50),
    client_cpu_ratio_vs_transport_floor: round(valid.cpu / transportFloor.cpu, 3),
    cases_p50_us: Object.fromEntries(r.cases.map((c) => [c.name, round(timing(c.name).p50)])),
    cases_cpu_us: Object.fromEntries(r.cases.map((c) => [c.name, round(timing(c.name).cpu)])),
    ddb_calls_per_verify: perCall('valid', 'ddb'),
    kms_calls_per_warm_verify: perCall('valid', 'kms'),
    // A fresh process, from before its import to its first verification: the pepper's one Decrypt.
    ddb_calls_cold_start: perCall('cold_start', 'ddb'),
    kms_calls_cold_start: perCall('cold_start', 'kms'),
    ddb_calls_per_malformed: perCall('malformed', 'ddb'),
    ddb_calls_per_bad_checksum: perCall('bad_checksum', 'ddb'),
    ddb_calls_per_wrong_secret: perCall('wrong_secret', 'ddb'),
    ddb_calls_per_unknown_key: perCall('unknown_key', 'ddb'),
    ddb_calls_per_every_policy: perCall('every_policy', 'ddb'),
    kms_calls_per_every_policy: perCall('every_policy', 'kms'),
    log_level: r.logLevel ?? 'unset',
    log_bytes_per_allow: perCall('valid', 'logBytes'),
    log_bytes_per_refusal: perCall('unknown_key', 'logBytes'),
    cold_floor_ms: round(median(r.cold.floor)),
    cold_authorizer_ms: round(median(r.cold.authorizer)),
    cold_start_ratio: round(median(r.cold.authorizer) / median(r.cold.floor), 3),
    cold_transport_floor_ms: round(median(r.cold.transport_floor)),
    authorizer_bundle_kb: round(r.authorizerBytes / 1024),
    floor_bundle_kb: round(r.floorBytes / 1024),
    transport_floor_bundle_kb: round(r.transportFloorBytes / 1024),
    authorizer_bundle_ratio: round(r.authorizerBytes / r.floorBytes, 3),
    worst_other_bundle_ratio: round((worstOther * 1024) / r.floorBytes, 3),
    bundles_kb: r.bundlesKb,
  };
}

export type Summary = ReturnType<typeof summarize>;

export function targetsOf(s: Summary): { name: string; ok: boolean }[] {
  return [
    { name: `ratio_p50 <= ${TARGETS.ratio_p50}`, ok: s.ratio_p50 <= TARGETS.ratio_p50 },
    {
      name: `client_cpu_ratio <= ${TARGETS.client_cpu_ratio}`,
      ok: s.client_cpu_ratio <= TARGETS.client_cpu_ratio,
    },
    {
      name: `cold_start_ratio <= ${TARGETS.cold_start_ratio}`,
      ok: s.cold_start_ratio <= TARGETS.cold_start_ratio,
    },
    {
      name: `authorizer bundle <= ${TARGETS.authorizer_bundle_ratio} x floor`,
      ok: s.authorizer_bundle_ratio <= TARGETS.authorizer_bundle_ratio,
    },
    {
      name: `every other function <= ${TARGETS.other_bundle_ratio} x floor`,
      ok: s.worst_other_bundle_ratio <= TARGETS.other_bundle_ratio,
    },
    { name: '1 DynamoDB call per verify', ok: s.ddb_calls_per_verify === 1 },
    { name: '0 KMS calls per warm verify', ok: s.kms_calls_per_warm_verify === 0 },
    { name: '1 KMS call per cold start (the pepper)', ok: s.kms_calls_cold_start === 1 },
    { name: '0 DynamoDB calls per malformed token', ok: s.ddb_calls_per_malformed === 0 },
    { name: '0 DynamoDB calls per bad checksum', ok: s.ddb_calls_per_bad_checksum === 0 },
    {
      name: '1 DynamoDB call and 0 KMS calls per every-policy verify',
      ok: s.ddb_calls_per_every_policy === 1 && s.kms_calls_per_every_policy === 0,
    },
    { name: '0 bytes of application log per allowed verification', ok: s.log_bytes_per_allow === 0 },
  ];
}

/** The human-readable lines, then the summary as one JSON object on the last line. */
export function printReport(r: BenchResults, s: Summary, log: (line: string) => void): void {
  const targets = targetsOf(s);
  log(`Latchkey authorizer benchmark: ${s.engine}; ${s.machine}`);
  log(
    `${r.iterations} rounds after ${r.warmup} warm-up rounds, the floors and the authorizer in processes of their own ` +
      `taking turns; ${r.coldRuns} cold starts each`,
  );
  const rows: string[][] = [['case', 'p50 (us)', 'p99 (us)', 'CPU/call (us)', 'DynamoDB / KMS per call']];
  for (const name of new Set(r.cases.map((c) => c.name))) {
    const counts = r.counted[name];
    const per = (n: number | undefined) =>
      counts === undefined || n === undefined ? 'NaN' : `${n / counts.calls}`;
    rows.push([
      name,
      `${s.cases_p50_us[name]}`,
      `${round(percentile(r.warm[name]?.wallUs ?? [], 99))}`,
      `${s.cases_cpu_us[name]}`,
      `${per(counts?.ddb)} / ${per(counts?.kms)}`,
    ]);
  }
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  for (const row of rows) log(row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '));
  log('');
  log(
    `cold start (import + first call, median): floor ${s.cold_floor_ms} ms, transport floor ` +
      `${s.cold_transport_floor_ms} ms, authorizer ${s.cold_authorizer_ms} ms; ` +
      `DynamoDB / KMS calls from import to first verification: ${s.ddb_calls_cold_start} / ${s.kms_calls_cold_start}`,
  );
  log(
    `bundles (KB): ${Object.entries(r.bundlesKb)
      .map(([f, size]) => `${f} ${size}`)
      .join(', ')}; floor ${s.floor_bundle_kb}; transport floor ${s.transport_floor_bundle_kb}`,
  );
  log(
    `authorizer log per verification at level ${s.log_level}: allowed ${s.log_bytes_per_allow} bytes, ` +
      `refused (unknown key) ${s.log_bytes_per_refusal} bytes`,
  );
  log(
    `Latchkey's own checks, against the transport floor (a bare GetItem made the authorizer's way; not a ` +
      `target): p50 ${s.ratio_p50_vs_transport_floor}x (${s.delta_p50_vs_transport_floor_us} us), ` +
      `CPU ${s.client_cpu_ratio_vs_transport_floor}x`,
  );
  for (const t of targets) log(`${t.ok ? 'PASS' : 'FAIL'}  ${t.name}`);
  log(
    JSON.stringify({
      ...s,
      targets: Object.fromEntries(targets.map((t) => [t.name, t.ok ? 'PASS' : 'FAIL'])),
    }),
  );
}
