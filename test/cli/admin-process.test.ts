import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEMO_ACCOUNTS } from '../../local/demo';
import { PROJECT_ROOT, type RunningLatchkey, startLatchkey } from '../../local/server';
import { rememberSecret } from '../support/log-capture';

/**
 * `npm run admin` as its own process, the way an operator runs it: against a table named by
 * LATCHKEY_TABLE_NAME through the standard SDK settings, and with --local against a data dir, both
 * when the local stack is stopped (it opens the files itself) and while it runs (it uses the running
 * DynamoDB Local, so it sees what the stack serves).
 */
const testEnv = { ...process.env };

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function admin(args: string[], env: NodeJS.ProcessEnv = testEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      join(PROJECT_ROOT, 'node_modules/.bin/tsx'),
      ['cli/admin.ts', ...args],
      { cwd: PROJECT_ROOT, env, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

let stack: RunningLatchkey | undefined;
let dataDir: string | undefined;
afterAll(async () => {
  await stack?.close();
  if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
});

describe('npm run admin as a process', () => {
  it('targets LATCHKEY_TABLE_NAME through the standard SDK settings, and names a missing table', async () => {
    const listed = await admin(['list-accounts']);
    expect(listed.code, listed.stderr).toBe(0);
    expect(JSON.parse(listed.stdout)).toEqual({ accounts: [] });

    const missing = await admin(['list-accounts', '--table', 'no-such-table']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('table no-such-table was not found');

    const unset = await admin(['list-accounts'], { ...testEnv, LATCHKEY_TABLE_NAME: '' });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('Set LATCHKEY_TABLE_NAME');
  }, 120_000);

  it('--local works on a stopped stack, then on the running one, and local mode serves what it wrote', async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'latchkey-admin-'));
    const created = await admin([
      'create-account',
      '--local',
      '--data-dir',
      dataDir,
      '--email',
      'ops@initech.example',
      '--site',
      'initech-hq=Initech HQ',
      '--owner',
      'sso|peter',
    ]);
    expect(created.code, created.stderr).toBe(0);
    const accountId = (JSON.parse(created.stdout) as { account: { accountId: string } }).account.accountId;

    // A second process finds it in the data dir's files.
    const listed = await admin(['list-accounts', '--local', '--data-dir', dataDir]);
    expect(listed.code, listed.stderr).toBe(0);
    expect(
      (JSON.parse(listed.stdout) as { accounts: { accountId: string }[] }).accounts.map((a) => a.accountId),
    ).toEqual([accountId]);

    // Start the local stack on that data dir: the account survives and the demo accounts join it.
    stack = await startLatchkey({ port: 0, sesPort: 0, dataDir, banner: false });
    const withDemo = await admin(['list-accounts', '--local', '--data-dir', dataDir]);
    expect(withDemo.code, withDemo.stderr).toBe(0);
    const ids = (JSON.parse(withDemo.stdout) as { accounts: { accountId: string }[] }).accounts.map(
      (a) => a.accountId,
    );
    expect(ids.sort()).toEqual([accountId, ...DEMO_ACCOUNTS.map((d) => d.accountId)].sort());

    // Changes made while it runs are served at once.
    const site = await admin([
      'add-site',
      '--local',
      '--data-dir',
      dataDir,
      '--account',
      accountId,
      '--site',
      'initech-lab=Lab',
    ]);
    expect(site.code, site.stderr).toBe(0);
    const tokenAnswer = await fetch(`${stack.url}/local/dev-token?account=${accountId}`);
    const { token, userId } = (await tokenAnswer.json()) as { token: string; userId: string };
    rememberSecret(token);
    expect(userId).toBe('sso|peter');
    const account = await fetch(`${stack.url}/v1/account`, { headers: { authorization: `Bearer ${token}` } });
    expect(await account.json()).toEqual({
      accountId,
      email: 'o***@initech.example',
      sites: [
        { siteId: 'initech-hq', name: 'Initech HQ' },
        { siteId: 'initech-lab', name: 'Lab' },
      ],
    });
  }, 120_000);
});
