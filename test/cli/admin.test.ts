import { GetCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { runAdmin } from '../../cli/admin';
import { dynamoDocumentClient } from '../../shared/adapters/aws-clients';
import { keyOf } from '../../shared/adapters/table-schema';
import { newAccountId } from '../../shared/domain/ids';

/**
 * The admin command run in-process against this file's DynamoDB Local table (LATCHKEY_TABLE_NAME, set by
 * the test setup), exactly as `npm run admin -- ...` runs it against a deployed table.
 */
async function admin(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runAdmin(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
  const stdout = out.join('\n');
  return {
    code,
    stdout,
    stderr: err.join('\n'),
    json: stdout.startsWith('{') ? JSON.parse(stdout) : undefined,
  };
}

const table = () => String(process.env.LATCHKEY_TABLE_NAME);

async function item(key: { pk: string; sk: string }) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: table(), Key: key, ConsistentRead: true }),
  );
  return Item;
}

async function countItems(sk: string): Promise<number> {
  const { Items } = await dynamoDocumentClient().send(
    new ScanCommand({
      TableName: table(),
      ConsistentRead: true,
      FilterExpression: 'sk = :sk',
      ExpressionAttributeValues: { ':sk': sk },
    }),
  );
  return Items?.length ?? 0;
}

const unique = () => Math.random().toString(36).slice(2, 10);

describe('npm run admin', () => {
  it('prints the help with every command, exit 0', async () => {
    for (const args of [[], ['--help'], ['help'], ['create-account', '--help']]) {
      const result = await admin(...args);
      expect(result.code).toBe(0);
      for (const command of [
        'create-account',
        'set-email',
        'add-site',
        'add-member',
        'show-account',
        'list-accounts',
      ]) {
        expect(result.stdout).toContain(command);
      }
    }
  });

  it('create-account writes the account with its sites and owner', async () => {
    const owner = `auth0|${unique()}`;
    const result = await admin(
      'create-account',
      '--email',
      'ann@example.com',
      '--site',
      'shop-1=Main shop',
      '--site',
      'blog-1=Blog',
      '--owner',
      owner,
    );
    expect(result.code).toBe(0);
    const accountId = result.json.account.accountId as string;
    expect(result.json.members).toEqual([
      expect.objectContaining({ userId: owner, role: 'owner', accountId }),
    ]);
    expect(await item(keyOf.account(accountId))).toMatchObject({
      accountId,
      email: 'ann@example.com',
      sites: [
        { siteId: 'shop-1', name: 'Main shop' },
        { siteId: 'blog-1', name: 'Blog' },
      ],
    });
    expect(await item(keyOf.membership(owner))).toMatchObject({ userId: owner, accountId, role: 'owner' });
  });

  it('set-email, add-site, add-member and show-account change and show what the table holds', async () => {
    const created = await admin('create-account', '--email', 'bob@example.com');
    const accountId = created.json.account.accountId as string;

    expect((await admin('set-email', '--account', accountId, '--email', 'robert@example.com')).code).toBe(0);
    expect(await item(keyOf.account(accountId))).toMatchObject({ email: 'robert@example.com' });

    const sites = await admin('add-site', '--account', accountId, '--site', 'a=Alpha', '--site', 'b=Beta');
    expect(sites.stderr).toBe('');
    expect(sites.code).toBe(0);
    expect((await admin('add-site', '--account', accountId, '--site', 'a=Alpha renamed')).code).toBe(0);
    expect((await item(keyOf.account(accountId)))?.sites).toEqual([
      { siteId: 'b', name: 'Beta' },
      { siteId: 'a', name: 'Alpha renamed' },
    ]);

    const user = `user-${unique()}`;
    expect((await admin('add-member', '--account', accountId, '--user', user)).code).toBe(0);
    expect(await item(keyOf.membership(user))).toMatchObject({ accountId, role: 'admin' });

    const shown = await admin('show-account', '--account', accountId);
    expect(shown.code).toBe(0);
    expect(shown.json.account).toMatchObject({ accountId, email: 'robert@example.com' });
    expect(shown.json.members).toEqual([expect.objectContaining({ userId: user, role: 'admin' })]);
  });

  it('list-accounts lists every account in the table', async () => {
    const created = await admin('create-account', '--email', `list-${unique()}@example.com`);
    const listed = await admin('list-accounts');
    expect(listed.code).toBe(0);
    const ids = (listed.json.accounts as { accountId: string }[]).map((a) => a.accountId);
    expect(ids).toContain(created.json.account.accountId);
    expect(ids).toHaveLength(await countItems('ACCOUNT'));
  });

  it('refuses bad input with a clear message, exit 2, writing nothing', async () => {
    const before = await countItems('ACCOUNT');
    const cases: [string[], string][] = [
      [['create-account', '--email', 'not-an-email'], '--email must be an email address'],
      [['create-account'], '--email is required'],
      [
        ['create-account', '--email', 'a@example.com', '--site', 'no-name'],
        '--site must look like <id>=<name>',
      ],
      [['create-account', '--email', 'a@example.com', '--site', 'bad id!=Shop'], '--site'],
      [
        ['create-account', '--email', 'a@example.com', '--account', newAccountId()],
        'does not take --account',
      ],
      [['add-member', '--account', 'nope', '--user', 'u'], '--account must be an account id'],
      [['add-member', '--account', newAccountId(), '--user', 'u', '--role', 'god'], '--role'],
      [['show-account', '--acount', newAccountId()], "Unknown option '--acount'"],
      [['frobnicate'], 'Unknown command "frobnicate"'],
      [['list-accounts', '--data-dir', '/tmp'], '--data-dir only goes with --local'],
    ];
    for (const [argv, message] of cases) {
      const result = await admin(...argv);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.stderr).toContain(message);
      expect(result.stdout).toBe('');
    }
    expect(await countItems('ACCOUNT')).toBe(before);
  });

  it('reports domain failures with exit 1: unknown account, a user who already has an account', async () => {
    const missing = await admin('show-account', '--account', newAccountId());
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^error: No account /);

    const owner = `taken-${unique()}`;
    const first = await admin('create-account', '--email', 'first@example.com', '--owner', owner);
    expect(first.code).toBe(0);
    const before = await countItems('ACCOUNT');
    const second = await admin('create-account', '--email', 'second@example.com', '--owner', owner);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`already belongs to account ${first.json.account.accountId}`);
    // The owner check comes first, so no ownerless account was left behind.
    expect(await countItems('ACCOUNT')).toBe(before);

    const again = await admin('add-member', '--account', first.json.account.accountId, '--user', owner);
    expect(again.code).toBe(1);
    expect(await item(keyOf.membership(owner))).toMatchObject({ role: 'owner' });
  });
});
