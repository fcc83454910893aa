import { type ChildProcess, spawn } from 'node:child_process';
import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ENDPOINTS_FILE, PROJECT_ROOT } from '../../local/server';
import { rememberSecret } from '../support/log-capture';
import { withHost } from './local-stack';

/**
 * `npm start` as the process a developer runs (`node --import tsx local/server.ts`): its own DynamoDB Local and
 * SES, settings from the environment, the banner, Ctrl-C. Ports are 0 so it never collides.
 */
const dataDirs: string[] = [];
afterAll(async () => {
  await Promise.all(dataDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

function start(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  let output = '';
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString('utf8');
  });
  return { child, output: () => output };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

async function waitFor(read: () => string, pattern: RegExp, child: ChildProcess): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    if (child.exitCode !== null) throw new Error(`the server exited early:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('npm start', () => {
  it('starts on its own engines, prints where everything is, serves, and stops cleanly on Ctrl-C', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-start-'));
    dataDirs.push(dataDir);
    const { child, output } = start({ PORT: '0', LATCHKEY_SES_PORT: '0', LATCHKEY_DATA_DIR: dataDir });
    try {
      const api = (await waitFor(output, /API \(management \+ protected\)\s+(http:\/\/\S+)/, child))[1] ?? '';
      expect(output()).toMatch(/Dev token \(JWT\)\s+http:\/\/\S+\/local\/dev-token/);
      expect(output()).toMatch(/Inbox web page \(local SES\)\s+http:\/\/127\.0\.0\.1:\d+\//);
      expect(output()).toContain(`Data dir                      ${dataDir}`);
      await access(join(dataDir, ENDPOINTS_FILE));

      const { token } = (await (await fetch(`${api}/local/dev-token`)).json()) as { token: string };
      rememberSecret(token);
      const account = await fetch(`${api}/v1/account`, { headers: { authorization: `Bearer ${token}` } });
      expect(account.status).toBe(200);
      await waitFor(output, /"path":"\/v1\/account","status":200/, child);
      expect(output()).not.toContain(token);

      // DNS rebinding: a foreign name pointed at 127.0.0.1 reaches neither the API nor the SES inbox page.
      const inbox = (/Inbox web page \(local SES\)\s+(http:\/\/\S+)\//.exec(output()) ?? [])[1] ?? '';
      for (const base of [api, inbox]) {
        const foreign = await withHost(base, `rebind.evil.example:${new URL(base).port}`, {
          path: base === api ? '/local/dev-token' : '/',
        });
        expect(foreign.status, base).toBe(421);
        expect(JSON.parse(foreign.text)).toMatchObject({ error: { code: 'host_not_allowed' } });
      }
      expect((await withHost(inbox, `localhost:${new URL(inbox).port}`)).status).toBe(200);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited(child)).toBe(0);
    await expect(access(join(dataDir, ENDPOINTS_FILE))).rejects.toThrow();
  }, 120_000);

  it('refuses a bad setting by name, exit 2', async () => {
    const { child, output } = start({ PORT: 'eighty', LATCHKEY_SES_PORT: '0' });
    expect(await exited(child)).toBe(2);
    expect(output()).toContain('PORT must be a port number');
  }, 120_000);
});
