import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../local/server';
import { rememberSecret } from '../support/log-capture';

/**
 * Local mode as a new user meets it: `npm start` itself (npm, its shell, tsx, the server, DynamoDB
 * Local's JVM), stopped by a signal to the PID `npm start &` gives, started twice, started on a taken
 * port; the README walkthrough run by bash; the admin command on an empty data dir. Every port is
 * 0 or one this test holds, and every data dir a fresh temp dir.
 */
const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function freshDataDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'latchkey-npm-start-'));
  dataDirs.push(dir);
  return dir;
}

interface Started {
  readonly child: ChildProcess;
  output(): string;
}

/** `npm start`, as typed: npm runs the package script through its shell. */
function npmStart(env: Record<string, string>): Started {
  let output = '';
  const child = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', LATCHKEY_SES_PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function banner(started: Started): Promise<{ api: string; ses: string; dynamo: string }> {
  const pattern =
    /API \(management \+ protected\)\s+(http:\/\/\S+)[\s\S]*Inbox web page \(local SES\)\s+(http:\/\/\S+?)\/?\s[\s\S]*DynamoDB Local\s+(http:\/\/\S+)/;
  for (;;) {
    const match = pattern.exec(started.output());
    if (match !== null) return { api: match[1] ?? '', ses: match[2] ?? '', dynamo: match[3] ?? '' };
    if (started.child.exitCode !== null) throw new Error(`npm start exited early:\n${started.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Every process below `pid`, read from /proc (Linux, as CI). */
function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name may hold spaces or parentheses: the parent PID follows the last ')'.
    const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    children.set(parent, [...(children.get(parent) ?? []), Number(name)]);
  }
  const found: number[] = [];
  const walk = (id: number) => {
    for (const child of children.get(id) ?? []) {
      found.push(child);
      walk(child);
    }
  };
  walk(pid);
  return found;
}

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/\) Z /.test(safeStat(pid));
function safeStat(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return '';
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

function holdPort(): Promise<{ server: Server; port: number }> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve({ server, port: typeof address === 'object' && address !== null ? address.port : 0 });
    });
  });
}

const portOf = (url: string) => Number(new URL(url).port);

describe('stopping npm start', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s to the npm start PID stops the server, DynamoDB Local, SES and every child within 5 s, ports freed',
    async (signal) => {
      const started = npmStart({ LATCHKEY_DATA_DIR: await freshDataDir() });
      const urls = await banner(started);
      const pid = started.child.pid ?? 0;
      const tree = descendants(pid);
      expect(tree.length).toBeGreaterThanOrEqual(3);
      const sent = Date.now();
      process.kill(pid, signal);
      await exited(started.child);
      for (;;) {
        if (tree.every((child) => !alive(child))) break;
        if (Date.now() - sent > 5000)
          throw new Error(`still running after 5 s: ${tree.filter(alive).join(' ')}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      for (const url of [urls.api, urls.ses, urls.dynamo])
        expect(await canListen(portOf(url)), url).toBe(true);
      expect(started.output()).not.toContain('NodeVersionSupportWarning');
    },
    120_000,
  );
});

describe('starting npm start where it cannot run', () => {
  it.each([
    ['PORT', 'the API'],
    ['LATCHKEY_SES_PORT', 'SES'],
    ['LATCHKEY_DYNAMODB_PORT', 'DynamoDB Local'],
  ])(
    'a taken %s (%s) is one line naming the port and the setting',
    async (setting) => {
      const held = await holdPort();
      try {
        const started = npmStart({ LATCHKEY_DATA_DIR: await freshDataDir(), [setting]: String(held.port) });
        expect(await exited(started.child)).not.toBe(0);
        const ours = started
          .output()
          .split('\n')
          .filter((line) => line.startsWith('latchkey:'));
        expect(ours).toEqual([
          `latchkey: could not start: port ${held.port} is taken: set ${setting} to a free port (0 picks one)`,
        ]);
        expect(started.output()).not.toMatch(/\n\s+at /);
      } finally {
        held.server.close();
      }
    },
    120_000,
  );

  it('a data dir in use by a running instance is one line with its PID, and its data stays intact', async () => {
    const dataDir = await freshDataDir();
    const first = npmStart({ LATCHKEY_DATA_DIR: dataDir });
    try {
      const { api } = await banner(first);
      const holder = (JSON.parse(await readFile(join(dataDir, 'endpoints.json'), 'utf8')) as { pid: number })
        .pid;
      const second = npmStart({ LATCHKEY_DATA_DIR: dataDir });
      expect(await exited(second.child)).not.toBe(0);
      const ours = second
        .output()
        .split('\n')
        .filter((line) => line.startsWith('latchkey:'));
      expect(ours).toEqual([
        `latchkey: could not start: ${dataDir} is in use by a running Latchkey (PID ${holder}): stop it first, or set LATCHKEY_DATA_DIR to another folder`,
      ]);
      expect(second.output()).not.toMatch(/\n\s+at /);

      // The first instance still serves its data.
      const { token } = (await (await fetch(`${api}/local/dev-token`)).json()) as { token: string };
      rememberSecret(token);
      const account = await fetch(`${api}/v1/account`, { headers: { authorization: `Bearer ${token}` } });
      expect(account.status).toBe(200);
      expect(((await account.json()) as { accountId: string }).accountId).toMatch(/^[0-9a-f-]{36}$/);
    } finally {
      first.child.kill('SIGTERM');
      await exited(first.child);
    }
  }, 120_000);
});

/** The README's walkthrough block, pointed at this run's server. */
async function walkthroughScript(api: string): Promise<string> {
  const readme = await readFile(join(PROJECT_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Walkthrough'));
  const script = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (script === undefined) throw new Error('README has no walkthrough block');
  return script.replace('API=http://127.0.0.1:3000', `API=${api}`);
}

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile('bash', ['-s'], { timeout: 90_000 }, (error, stdout, stderr) => {
      resolve({
        code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
        stdout,
        stderr,
      });
    });
    child.stdin?.end(script);
  });
}

describe('the README walkthrough, run by bash against npm start', () => {
  it('prints what the README says, then, run again at once, stops at the 429 with its Retry-After', async () => {
    const started = npmStart({ LATCHKEY_DATA_DIR: await freshDataDir() });
    try {
      const { api } = await banner(started);
      const script = await walkthroughScript(api);

      const first = await bash(script);
      expect(first.code, first.stderr).toBe(0);
      for (const line of [
        'old token: 403',
        'new token: 200',
        'products with the edited key: 403',
        'delete: 204',
        'deleted key: 404',
        'deleted token: 403',
      ]) {
        expect(first.stdout).toContain(line);
      }
      // `jq -r` prints a bare `null` for a field an error answer lacks: the sign of a step gone wrong.
      expect(first.stdout).not.toMatch(/^null$/m);

      const again = await bash(script);
      expect(again.code).not.toBe(0);
      expect(again.stderr).toMatch(/stopped: expected 201, got 429 from -X POST \S+\/v1\/verifications/);
      expect(again.stderr).toMatch(/retry-after: \d+/i);
      expect(again.stdout).not.toMatch(/^null$/m);
      expect(again.stdout).not.toContain('deleted key');
    } finally {
      started.child.kill('SIGTERM');
      await exited(started.child);
    }
  }, 180_000);
});

describe('npm run admin -- --local', () => {
  it('on a data dir without a Latchkey table says so, exit 2, and creates nothing', async () => {
    const dataDir = join(await freshDataDir(), 'never-started');
    const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      const env = { ...process.env };
      delete env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED;
      execFile(
        'npm',
        ['run', '--silent', 'admin', '--', 'list-accounts', '--local', '--data-dir', dataDir],
        { cwd: PROJECT_ROOT, env, timeout: 60_000 },
        (error, stdout, stderr) =>
          resolve({
            code: error === null ? 0 : typeof error.code === 'number' ? error.code : -1,
            stdout,
            stderr,
          }),
      );
    });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim()).toBe(
      `error: ${dataDir} holds no Latchkey table: start the local stack once (npm start) or name its --data-dir; create-account starts a new one`,
    );
    expect(existsSync(dataDir)).toBe(false);
  }, 120_000);
});
