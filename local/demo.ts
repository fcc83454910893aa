import type { Site } from '../shared/domain/accounts';
import { ensureAccount } from '../shared/domain/onboarding';
import type { AccountStore } from '../shared/domain/ports';

export interface DemoAccount {
  readonly accountId: string;
  readonly email: string;
  readonly ownerId: string;
  readonly sites: readonly Site[];
}

/**
 * The two accounts a fresh local stack starts with. Their ids are fixed so a walkthrough can name
 * them and a restart finds them again instead of adding two more.
 */
export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  {
    accountId: '0d3f2a1c-7e0b-4c5a-9f3e-000000000001',
    email: 'jane@acme.example',
    ownerId: 'local|jane',
    sites: [
      { siteId: 'acme-store', name: 'Acme Store' },
      { siteId: 'acme-bookings', name: 'Acme Bookings' },
    ],
  },
  {
    accountId: '0d3f2a1c-7e0b-4c5a-9f3e-000000000002',
    email: 'omar@globex.example',
    ownerId: 'local|omar',
    sites: [{ siteId: 'globex-events', name: 'Globex Events' }],
  },
];

/** Seeds the demo accounts through the same onboarding code as the admin command; idempotent. */
export async function seedDemoAccounts(accounts: AccountStore): Promise<{ created: number }> {
  let created = 0;
  for (const demo of DEMO_ACCOUNTS) {
    const result = await ensureAccount(accounts, demo);
    if (result.created) created += 1;
  }
  return { created };
}
