import type { Account, MemberRole } from './accounts';
import { type AuditContext, memberOf, type RequestOrigin } from './audit-events';
import { ForbiddenError, NotFoundError } from './errors';
import type { AccountStore } from './ports';

/** Who is acting, and for which account. The account comes from the table, never from the client. */
export interface Actor {
  readonly userId: string;
  readonly accountId: string;
  /** Owners are outside the account-wide limit on codes, so an owner can always revoke a key. */
  readonly role: MemberRole;
  /** The member's address from the sign-in token, when it carries one; shown masked in the audit log. */
  readonly email?: string | undefined;
  /** Where the request came from, for the audit log. */
  readonly origin?: RequestOrigin | undefined;
}

export async function resolveActor(
  accounts: AccountStore,
  userId: string,
  seen: { email?: string | undefined; origin?: RequestOrigin | undefined } = {},
): Promise<Actor> {
  const membership = await accounts.getMembership(userId);
  if (membership === undefined) {
    throw new ForbiddenError('This user is not a member of any Latchkey account', 'no_account');
  }
  return {
    userId,
    accountId: membership.accountId,
    role: membership.role,
    email: seen.email,
    origin: seen.origin,
  };
}

/** Who acted and from where, as the audit log records it. */
export function auditContextOf(actor: Pick<Actor, 'userId' | 'email' | 'origin'>): AuditContext {
  return { member: memberOf(actor.userId, actor.email), origin: actor.origin ?? {} };
}

export async function accountOf(accounts: AccountStore, actor: Actor): Promise<Account> {
  const account = await accounts.getAccount(actor.accountId);
  if (account === undefined) throw new NotFoundError('Account not found');
  return account;
}
