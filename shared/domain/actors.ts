import type { Account, MemberRole } from './accounts';
import { ForbiddenError, NotFoundError } from './errors';
import type { AccountStore } from './ports';

/** Who is acting, and for which account. The account comes from the table, never from the client. */
export interface Actor {
  readonly userId: string;
  readonly accountId: string;
  /** Owners are outside the account-wide limit on codes, so an owner can always revoke a key. */
  readonly role: MemberRole;
}

export async function resolveActor(accounts: AccountStore, userId: string): Promise<Actor> {
  const membership = await accounts.getMembership(userId);
  if (membership === undefined) {
    throw new ForbiddenError('This user is not a member of any Latchkey account', 'no_account');
  }
  return { userId, accountId: membership.accountId, role: membership.role };
}

export async function accountOf(accounts: AccountStore, actor: Actor): Promise<Account> {
  const account = await accounts.getAccount(actor.accountId);
  if (account === undefined) throw new NotFoundError('Account not found');
  return account;
}
