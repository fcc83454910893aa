import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE } from '../../cli/credentials';
import { DEMO_ACCOUNTS } from '../../local/demo';
import { PROJECT_ROOT } from '../../local/server';
import { rememberSecret } from '../support/log-capture';

/**
 * The `latchkey` CLI as a user runs it: `npx latchkey ...` child processes against `npm start`,
 * signing in through the local issuer's browser flow, and feeding every emailed code, read from
 * the local inbox, on standard input.
 */
const [jane] = DEMO_ACCOUNTS;
if (jane === undefined) throw new Error('a demo account expected');

let server: ChildProcess;
let serverOutput = '';
let api = '';
let dataDir = '';
let configDir = '';
const secrets: string[] = [];

function remember(secret: string): string {
  secrets.push(secret);
  rememberSecret(secret);
  return secret;
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'latchkey-cli-data-'));
  configDir = await mkdtemp(join(tmpdir(), 'latchkey-cli-config-'));
  server = spawn('npm', ['start'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', LATCHKEY_SES_PORT: '0', LATCHKEY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const collect = (chunk: Buffer) => {
    serverOutput += chunk.toString('utf8');
  };
  server.stdout?.on('data', collect);
  server.stderr?.on('data', collect);
  for (;;) {
    const match = /API \(management \+ protected\)\s+(http:\/\/\S+)/.exec(serverOutput);
    if (match?.[1] !== undefined) {
      api = match[1];
      break;
    }
    if (server.exitCode !== null) throw new Error(`npm start exited early:\n${serverOutput}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 120_000);

afterAll(async () => {
  if (server.pid !== undefined && server.exitCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    // npm start runs the server as a child: signal the whole group, as Ctrl-C does.
    process.kill(-server.pid, 'SIGINT');
    await exited;
  }
  await rm(dataDir, { recursive: true, force: true });
  await rm(configDir, { recursive: true, force: true });
});

interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `npx latchkey <args>`. `whenPrompted` runs once the CLI says where it sent a code, and returns
 * what to type: the test reads the code from the inbox and writes it to the CLI's stdin.
 */
function latchkey(args: readonly string[], whenPrompted?: () => Promise<string>): Promise<CliRun> {
  return startLatchkey(args, whenPrompted).result;
}

/** `npx latchkey` for sign-in; the bin script itself (what npx runs) for the rest, which is quicker. */
function startLatchkey(args: readonly string[], whenPrompted?: () => Promise<string>) {
  const [command, ...prefix] =
    args[0] === 'login' ? ['npx', '--no-install', 'latchkey'] : [process.execPath, 'cli/bin/latchkey.mjs'];
  const child = spawn(command ?? 'npx', [...prefix, ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, LATCHKEY_CONFIG_DIR: configDir, LATCHKEY_API: api, LATCHKEY_TOKEN: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let answered = false;
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
    if (whenPrompted !== undefined && !answered && /code was sent to/.test(stderr)) {
      answered = true;
      whenPrompted().then(
        (line) => child.stdin.write(`${line}\n`),
        (error: unknown) => {
          stderr += `\n[test] ${String(error)}`;
          child.kill();
        },
      );
    }
  });
  if (whenPrompted === undefined) child.stdin.end();
  const result = new Promise<CliRun>((resolve) => {
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  return { result, stderr: () => stderr };
}

interface InboxMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

async function inbox(): Promise<InboxMail[]> {
  const answer = await fetch(`${api}/local/inbox`);
  return ((await answer.json()) as { emails: InboxMail[] }).emails.filter((mail) => mail.to === jane?.email);
}

/** The code in the mail that arrived after `seen` mails: what a user reads before typing it. */
function codeFromInbox(seen: number): () => Promise<string> {
  return async () => {
    for (let attempt = 0; attempt < 100; attempt++) {
      const mails = await inbox();
      const newest = mails[0];
      if (mails.length > seen && newest !== undefined) {
        const code = /verification code: (\d{6})/.exec(newest.text)?.[1];
        if (code === undefined) throw new Error('the newest mail holds no code');
        return remember(code);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no new mail arrived');
  };
}

async function changeWithCode(args: readonly string[]): Promise<CliRun> {
  const seen = (await inbox()).length;
  return latchkey(args, codeFromInbox(seen));
}

function tokenIn(output: string): string {
  const token = /^(lk_\S+)$/m.exec(output)?.[1];
  if (token === undefined) throw new Error(`no token in:\n${output}`);
  return remember(token);
}

describe('latchkey, against npm start', () => {
  let keyId = '';
  let copyId = '';

  it('signs in in the browser: authorization code + PKCE with a loopback redirect', async () => {
    const login = startLatchkey(['login', '--no-browser']);
    // Play the browser: open the printed URL, press "Sign in as jane@...", follow the redirect.
    let url: string | undefined;
    const started = Date.now();
    while (url === undefined && Date.now() - started < 60_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      url = /(http:\/\/\S+\/local\/authorize\?\S+)/.exec(login.stderr())?.[1];
    }
    if (url === undefined) throw new Error(`login printed no URL:\n${login.stderr()}`);
    const page = await (await fetch(url)).text();
    const form = new URLSearchParams();
    for (const [, name, value] of page.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
      form.set(name ?? '', (value ?? '').replaceAll('&amp;', '&'));
    }
    form.set('user', jane.ownerId);
    const chosen = await fetch(new URL('/local/authorize', api), {
      method: 'POST',
      body: form,
      redirect: 'manual',
    });
    expect(chosen.status).toBe(303);
    const callback = chosen.headers.get('location') ?? '';
    expect(callback).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/callback\?code=/);
    expect((await fetch(callback)).status).toBe(200);

    const run = await login.result;
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`for account ${jane.accountId} (j***@acme.example)`);
    const file = join(configDir, CREDENTIALS_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(configDir)).mode & 0o077).toBe(0);
  }, 120_000);

  it('shows the account and the permission catalog', async () => {
    const account = await latchkey(['account', 'show']);
    expect(account.code, account.stderr).toBe(0);
    expect(account.stdout).toMatch(new RegExp(`Account ID:\\s+${jane.accountId}`));
    expect(account.stdout).toContain('acme-store');
    const permissions = await latchkey(['permissions', 'list', '--json']);
    expect(permissions.code).toBe(0);
    expect(JSON.parse(permissions.stdout).permissions.map((p: { id: string }) => p.id)).toContain('stores');
  }, 60_000);

  it('creates a key: asks for a code, says where it went, reads it from stdin, prints the token once', async () => {
    const run = await changeWithCode(['keys', 'create', '--name', 'CLI key', '--permissions', 'stores']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/A 6-digit code was sent to j\*\*\*@acme\.example; it expires at /);
    expect(run.stdout).toContain('Token (shown once');
    const token = tokenIn(run.stdout);
    keyId = /Created API key ([0-9a-z]{26})\./.exec(run.stdout)?.[1] ?? '';
    expect(token.startsWith(`lk_${keyId}_`)).toBe(true);
    expect(run.stdout).toMatch(/Permissions:\s+sites\.list, stores/);

    const list = await latchkey(['keys', 'list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^ID\s+NAME\s+PERMISSIONS\s+CREATED\s+LAST USED$/m);
    expect(list.stdout).toMatch(new RegExp(`^${keyId}\\s+CLI key\\s+sites\\.list,stores`, 'm'));
  }, 120_000);

  it('rotates it: a new token for the same key', async () => {
    const run = await changeWithCode(['keys', 'rotate', keyId, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const body = JSON.parse(run.stdout) as { apiKey: { keyId: string }; token: string };
    remember(body.token);
    expect(body.apiKey.keyId).toBe(keyId);
    expect(body.token.startsWith(`lk_${keyId}_`)).toBe(true);
  }, 120_000);

  it('duplicates it under a new name', async () => {
    const run = await changeWithCode(['keys', 'duplicate', keyId, '--name', 'CLI copy']);
    expect(run.code, run.stderr).toBe(0);
    tokenIn(run.stdout);
    copyId = /Duplicated \S+ as API key ([0-9a-z]{26})\./.exec(run.stdout)?.[1] ?? '';
    expect(copyId).not.toBe('');
    expect(copyId).not.toBe(keyId);
  }, 120_000);

  it('edits it with If-Match from keys show, and the token is not printed', async () => {
    const shown = await latchkey(['keys', 'show', keyId]);
    expect(shown.code).toBe(0);
    const version = /Version:\s+(\d+)/.exec(shown.stdout)?.[1];
    expect(version).toBeDefined();
    const run = await changeWithCode([
      'keys',
      'edit',
      keyId,
      '--name',
      'CLI key renamed',
      '--if-match',
      version ?? '',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Name:\s+CLI key renamed/);
    expect(run.stdout).not.toMatch(/lk_/);
  }, 120_000);

  it('deletes the copy; showing it afterwards fails with the API message and code, exit 1', async () => {
    const run = await changeWithCode(['keys', 'delete', copyId]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Deleted API key ${copyId}.`);
    const gone = await latchkey(['keys', 'show', copyId]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toBe('error: API key not found [not_found]\n');
  }, 120_000);

  it("prints the API's refusals with their code, exit 1, and bad usage with exit 2", async () => {
    // A code that confirms nothing, given the two-step way (no new code is sent).
    const wrong = await latchkey([
      'keys',
      'rotate',
      keyId,
      '--verification-id',
      '0123456789abcdefghjkmnpq',
      '--code',
      '000000',
    ]);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^error: .+ \[verification_failed\]\n$/);

    // Five codes in this file already: the sixth within 15 minutes is refused, and says when to retry.
    const sixth = await latchkey(['keys', 'rotate', keyId, '--json']);
    expect(sixth.code).toBe(1);
    const refusal = JSON.parse(sixth.stderr) as { error: { code: string; message: string } };
    expect(refusal.error.code).toBe('too_many_codes');
    expect(refusal.error.message).toMatch(/try again in \d+ s/);

    const usage = await latchkey(['keys', 'create']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('keys create needs --name');
    for (const run of [wrong, sixth, usage]) expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('logs out, forgetting the saved token; login --token saves one the API accepts', async () => {
    const run = await latchkey(['logout']);
    expect(run.code).toBe(0);
    const after = await latchkey(['account', 'show']);
    expect(after.code).toBe(1);
    expect(after.stderr).toContain('not signed in');

    const forged = await latchkey(['login', '--token', 'not-a-token']);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toContain('[http_401]');
    const { token } = (await (await fetch(`${api}/local/dev-token`)).json()) as { token: string };
    const withToken = await latchkey(['login', '--token', remember(token)]);
    expect(withToken.code, withToken.stderr).toBe(0);
    expect((await latchkey(['account', 'show'])).code).toBe(0);
  }, 120_000);

  it('runs the operator commands under latchkey admin', async () => {
    const run = await latchkey(['admin', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('create-account');
  }, 60_000);

  it('never lets a token or a code reach the server log', () => {
    expect(secrets.length).toBeGreaterThan(5);
    for (const secret of secrets) expect(serverOutput.includes(secret)).toBe(false);
  });
});
