import { randomUUID } from 'node:crypto';
import type { Account, Site } from '../../shared/domain/accounts';
import { newAccountId } from '../../shared/domain/ids';
import { accountStore } from '../../shared/wiring/stores';

export interface SeededAccount {
  readonly account: Account;
  readonly ownerId: string;
}

/** Creates a real account, with sites and an owner, in this file's table. */
export async function seedAccount(
  options: { email?: string; sites?: readonly Site[] } = {},
): Promise<SeededAccount> {
  const accountId = newAccountId();
  const ownerId = `user-${randomUUID()}`;
  const account: Account = {
    accountId,
    email: options.email ?? `owner-${accountId.slice(0, 8)}@example.com`,
    sites: options.sites ?? [
      { siteId: `site-${accountId.slice(0, 8)}-a`, name: 'Main store' },
      { siteId: `site-${accountId.slice(0, 8)}-b`, name: 'Bookings' },
    ],
    createdAt: new Date().toISOString(),
  };
  await accountStore().createAccount(account);
  await accountStore().addMember({ userId: ownerId, accountId, role: 'owner', createdAt: account.createdAt });
  return { account, ownerId };
}
