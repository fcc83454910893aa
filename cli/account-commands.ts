import { expectOk } from '../client';
import type { Context } from './command-context';
import { fields, permissionTable, table } from './render';

/** `latchkey account show`: the account's id, masked email and sites. */
export async function showAccount(context: Context): Promise<void> {
  const { client } = await context.session();
  const account = await expectOk(client.GET('/v1/account'));
  const sites =
    account.sites.length === 0
      ? '(none)'
      : table(
          ['SITE', 'NAME'],
          account.sites.map((s) => [s.siteId, s.name]),
        );
  context.out(
    `${fields([
      ['Account ID', account.accountId],
      ['Email', account.email],
    ])}\n\nSites:\n${sites}`,
    account,
  );
}

/** `latchkey permissions list`: the catalog a key's permissions are chosen from. */
export async function listPermissions(context: Context): Promise<void> {
  const { client } = await context.session();
  const catalog = await expectOk(client.GET('/v1/permissions'));
  context.out(permissionTable(catalog.permissions), catalog);
}
