import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type CaseTiming, TARGETS, type WarmMessage, type WarmReply } from './plan';

/**
 * The runner processes (runner.ts) and the counters the count pass reads. Every runner gets exactly
 * the function's environment plus what Lambda itself provides (region, credentials).
 */
function spawnRunner(
  runnerFile: string,
  args: string[],
  env: Record<string, string>,
  ipc: boolean,
): ChildProcess {
  // `LATCHKEY_BENCH_CPU_PROF=<dir>` writes a V8 CPU profile of each warm process there, one per bundle.
  const profileDir = process.env.LATCHKEY_BENCH_CPU_PROF;
  const profile = ipc && profileDir !== undefined ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  return spawn(process.execPath, [...profile, runnerFile, ...args], {
    env: {
      PATH: process.env.PATH ?? '',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
    stdio: ipc ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
  });
}

/** Keeps the last few KB of a runner's stderr, for the error when it fails. */
function stderrTail(child: ChildProcess): () => string {
  let err = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString('utf8')).slice(-4000);
  });
  return () => err;
}

/** A runner that prints one JSON line (count, cold): resolves with that line. */
export function runOnce(runnerFile: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnRunner(runnerFile, args, env, false);
    const err = stderrTail(child);
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
    });
    child.once('exit', (code) => {
      if (code === 0) resolve(out.trim().split('\n').at(-1) ?? '');
      else reject(new Error(`runner ${args[0]} exited ${code}:\n${err()}`));
    });
  });
}

/** A warm runner: one process per bundle, driven a round at a time over its IPC channel. */
class WarmRunner {
  private readonly replies: WarmReply[] = [];
  private waiting: { resolve: (reply: WarmReply) => void; reject: (error: Error) => void } | undefined;
  private failure: Error | undefined;

  constructor(readonly child: ChildProcess) {
    const err = stderrTail(child);
    child.stdout?.resume();
    child.on('message', (reply: WarmReply) => {
      const waiting = this.waiting;
      this.waiting = undefined;
      if (waiting === undefined) this.replies.push(reply);
      else waiting.resolve(reply);
    });
    child.once('exit', (code, signal) => {
      this.failure = new Error(`warm runner exited ${code ?? signal}:\n${err()}`);
      this.waiting?.reject(this.failure);
      this.waiting = undefined;
    });
  }

  next(): Promise<WarmReply> {
    const queued = this.replies.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.failure !== undefined) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiting = { resolve, reject };
    });
  }

  async ask(message: WarmMessage): Promise<WarmReply> {
    this.child.send(message);
    return this.next();
  }
}

/**
 * Warm timings of the three bundles: `warmup` untimed then `iterations` timed rounds, the processes
 * taking turns a round each (who goes first rotates), so drift in the machine's load or the engine
 * hits all alike while none shares its process with another's copy of the code it times.
 */
export async function warmTimings(
  runnerFile: string,
  planFile: string,
  env: Record<string, string>,
  warmup: number,
  iterations: number,
): Promise<Record<string, CaseTiming>> {
  const runners = TARGETS.map(
    (t) => new WarmRunner(spawnRunner(runnerFile, ['warm', planFile, t], env, true)),
  );
  for (const runner of runners) await runner.next();
  for (let index = 0; index < warmup + iterations; index++) {
    // Who goes first rotates, and the order reverses every other cycle, so no runner always
    // follows the same one.
    const shift = index % runners.length;
    const rotated = [...runners.slice(shift), ...runners.slice(0, shift)];
    const order = Math.floor(index / runners.length) % 2 === 0 ? rotated : rotated.reverse();
    for (const runner of order) await runner.ask({ kind: 'round', index, timed: index >= warmup });
  }
  const timings: Record<string, CaseTiming> = {};
  for (const runner of runners) {
    const reply = await runner.ask({ kind: 'finish' });
    if (reply.kind !== 'timings') throw new Error(`warm runner answered ${reply.kind}`);
    Object.assign(timings, reply.timings);
    runner.child.disconnect();
  }
  return timings;
}

/** Forwards to DynamoDB Local, counting requests; used only in the count pass, never timed. */
export async function countingProxy(
  target: string,
): Promise<{ endpoint: string; count: () => number; close: () => Promise<void> }> {
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
  const endpoint = await listen(server);
  return { endpoint, count: () => count, close: () => close(server) };
}

/** Serves the current request counts to the count runner as JSON. */
export async function countersServer(
  counts: () => { ddb: number; kms: number },
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(counts()));
  });
  const url = `${await listen(server)}/`;
  return { url, close: () => close(server) };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}
