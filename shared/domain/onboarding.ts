import * as z from 'zod/mini';
import './zod-messages';
import { type Account, type MemberRole, type Membership, SITE_ID_PATTERN, type Site } from './accounts';
import { ConflictError, NotFoundError } from './errors';
import { ACCOUNT_ID_PATTERN, newAccountId } from './ids';
import { isPlainText, plainTextMessage } from './plain-text';
import { type AccountStore, type Clock, systemClock } from './ports';

/**
 * Onboarding: creating accounts, linking their email, adding sites and members. The admin command
 * and the local demo seeding both call these, so a deployed stack and a laptop hold the same items.
 * Inputs are validated by the schemas below at the edge (the CLI); the operations assume valid input.
 */

export const emailSchema = z.email({ message: 'must be an email address' }).check(z.maxLength(254));
export const accountIdSchema = z
  .string()
  .check(z.regex(ACCOUNT_ID_PATTERN, 'must be an account id (a UUID)'));
/** The JWT subject of a signed-in user, as the identity provider issues it. */
export const userIdSchema = z
  .string()
  .check(
    z.minLength(1, 'must not be empty'),
    z.maxLength(256),
    z.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
  );
export const siteSchema = z.object({
  siteId: z.string().check(z.regex(SITE_ID_PATTERN, 'must be 1-64 letters, digits, ".", "_" or "-"')),
  name: z
    .string()
    .check(
      z.trim(),
      z.minLength(1, 'must not be empty'),
      z.maxLength(100),
      z.refine(isPlainText, plainTextMessage('a site name')),
    ),
});
/** `POST /v1/sites`: a site, and nothing else. */
export const strictSiteSchema = z.strictObject(siteSchema.shape);
export const memberRoleSchema = z.enum(['owner', 'admin']);

export interface NewAccount {
  readonly email: string;
  readonly sites: readonly Site[];
  /** The JWT subject of the account's first owner. */
  readonly ownerId?: string | undefined;
  /** Defaults to a fresh random id; fixed ids are for the local demo accounts. */
  readonly accountId?: string | undefined;
}

export interface AccountDetails {
  readonly account: Account;
  readonly members: readonly Membership[];
}

/**
 * What the admin command lists. Listing is a Scan, fine for an operator's tool and a laptop; no
 * request path uses it.
 */
export interface AccountDirectory {
  listAccounts(): Promise<Account[]>;
  listMembers(accountId: string): Promise<Membership[]>;
}

/**
 * Creates an account with its sites and, when given, its owner. The owner is checked first, so an
 * owner who already belongs to another account is refused before anything is written.
 */
export async function createAccount(
  accounts: AccountStore,
  input: NewAccount,
  clock: Clock = systemClock,
): Promise<Account> {
  if (input.ownerId !== undefined) await assertFreeUser(accounts, input.ownerId);
  const createdAt = clock.now().toISOString();
  const account: Account = {
    accountId: input.accountId ?? newAccountId(),
    email: input.email,
    sites: uniqueSites(input.sites),
    createdAt,
  };
  await accounts.createAccount(account);
  if (input.ownerId !== undefined) {
    await accounts.addMember({
      userId: input.ownerId,
      accountId: account.accountId,
      role: 'owner',
      createdAt,
    });
  }
  return account;
}

export async function setAccountEmail(
  accounts: AccountStore,
  accountId: string,
  email: string,
): Promise<Account> {
  await accounts.setEmail(accountId, email);
  return requireAccount(accounts, accountId);
}

/** Adds a site, or renames it when the id exists; every key of the account learns the new site list. */
export async function addSite(accounts: AccountStore, accountId: string, site: Site): Promise<Account> {
  return accounts.putSite(accountId, site);
}

export async function addMember(
  accounts: AccountStore,
  input: { accountId: string; userId: string; role: MemberRole },
  clock: Clock = systemClock,
): Promise<Membership> {
  await requireAccount(accounts, input.accountId);
  await assertFreeUser(accounts, input.userId);
  const membership: Membership = { ...input, createdAt: clock.now().toISOString() };
  await accounts.addMember(membership);
  return membership;
}

export async function describeAccount(
  accounts: AccountStore,
  directory: AccountDirectory,
  accountId: string,
): Promise<AccountDetails> {
  const account = await requireAccount(accounts, accountId);
  return { account, members: await directory.listMembers(accountId) };
}

/**
 * Brings an account to the given state without duplicating anything: creates it when absent, adds
 * the sites it lacks, and adds the owner when the owner has no account yet. Safe to run on every
 * start, which is how the local demo accounts are seeded.
 */
export async function ensureAccount(
  accounts: AccountStore,
  input: NewAccount & { accountId: string; ownerId: string },
  clock: Clock = systemClock,
): Promise<{ account: Account; created: boolean }> {
  let account = await accounts.getAccount(input.accountId);
  const created = account === undefined;
  if (account === undefined) {
    account = await createAccount(accounts, { ...input, ownerId: undefined }, clock);
  }
  for (const site of uniqueSites(input.sites)) {
    if (!account.sites.some((s) => s.siteId === site.siteId)) {
      account = await accounts.putSite(account.accountId, site);
    }
  }
  const membership = await accounts.getMembership(input.ownerId);
  if (membership === undefined) {
    await accounts.addMember({
      userId: input.ownerId,
      accountId: account.accountId,
      role: 'owner',
      createdAt: clock.now().toISOString(),
    });
  } else if (membership.accountId !== account.accountId) {
    throw new ConflictError(`User ${input.ownerId} already belongs to account ${membership.accountId}`);
  }
  return { account, created };
}

async function requireAccount(accounts: AccountStore, accountId: string): Promise<Account> {
  const account = await accounts.getAccount(accountId);
  if (account === undefined) throw new NotFoundError(`No account ${accountId}`);
  return account;
}

async function assertFreeUser(accounts: AccountStore, userId: string): Promise<void> {
  const existing = await accounts.getMembership(userId);
  if (existing !== undefined) {
    throw new ConflictError(`User ${userId} already belongs to account ${existing.accountId}`);
  }
}

/** The last entry wins for a repeated site id, as a rename would. */
function uniqueSites(sites: readonly Site[]): Site[] {
  const byId = new Map<string, Site>();
  for (const site of sites) byId.set(site.siteId, { siteId: site.siteId, name: site.name });
  return [...byId.values()];
}
