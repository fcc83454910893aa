import { randomUUID } from 'node:crypto';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { dynamoDocumentClient } from '../../../shared/adapters/aws-clients';
import { DynamoAccountDirectory } from '../../../shared/adapters/dynamo-account-directory';
import { keyOf } from '../../../shared/adapters/table-schema';
import { ConflictError, NotFoundError } from '../../../shared/domain/errors';
import { newAccountId } from '../../../shared/domain/ids';
import {
  addMember,
  addSite,
  createAccount,
  describeAccount,
  ensureAccount,
} from '../../../shared/domain/onboarding';
import { accountStore, tableName } from '../../../shared/wiring/stores';

/** The onboarding operations the admin command and the demo seeding share, against DynamoDB Local. */
const accounts = accountStore();
const directory = () => new DynamoAccountDirectory(dynamoDocumentClient(), tableName());

async function item(key: { pk: string; sk: string }) {
  const { Item } = await dynamoDocumentClient().send(
    new GetCommand({ TableName: tableName(), Key: key, ConsistentRead: true }),
  );
  return Item;
}

describe('ensureAccount (the demo seeding)', () => {
  it('creates the account, its sites and its owner once, and adds only what is missing later', async () => {
    const spec = {
      accountId: newAccountId(),
      email: 'seed@example.com',
      ownerId: `owner-${randomUUID()}`,
      sites: [{ siteId: 'one', name: 'One' }],
    };
    expect((await ensureAccount(accounts, spec)).created).toBe(true);
    expect((await ensureAccount(accounts, spec)).created).toBe(false);
    const grown = await ensureAccount(accounts, {
      ...spec,
      sites: [...spec.sites, { siteId: 'two', name: 'Two' }],
    });
    expect(grown.created).toBe(false);

    expect(await item(keyOf.account(spec.accountId))).toMatchObject({
      email: 'seed@example.com',
      sites: [
        { siteId: 'one', name: 'One' },
        { siteId: 'two', name: 'Two' },
      ],
    });
    expect(await directory().listMembers(spec.accountId)).toEqual([
      expect.objectContaining({ userId: spec.ownerId, role: 'owner' }),
    ]);
  });

  it('refuses an owner who already acts for another account', async () => {
    const ownerId = `owner-${randomUUID()}`;
    await createAccount(accounts, { email: 'first@example.com', sites: [], ownerId });
    const other = { accountId: newAccountId(), email: 'other@example.com', ownerId, sites: [] };
    await expect(ensureAccount(accounts, other)).rejects.toBeInstanceOf(ConflictError);
  });
});

describe('createAccount, addSite, addMember, describeAccount', () => {
  it('keep the last name of a site id given twice, and rename on addSite', async () => {
    const account = await createAccount(accounts, {
      email: 'dup@example.com',
      sites: [
        { siteId: 's', name: 'First' },
        { siteId: 's', name: 'Second' },
      ],
    });
    expect(account.sites).toEqual([{ siteId: 's', name: 'Second' }]);
    await addSite(accounts, account.accountId, { siteId: 's', name: 'Renamed' });
    expect((await item(keyOf.account(account.accountId)))?.sites).toEqual([{ siteId: 's', name: 'Renamed' }]);
  });

  it('refuse members for unknown accounts and users who already have one, writing nothing', async () => {
    const userId = `user-${randomUUID()}`;
    await expect(
      addMember(accounts, { accountId: newAccountId(), userId, role: 'admin' }),
    ).rejects.toBeInstanceOf(NotFoundError);
    expect(await item(keyOf.membership(userId))).toBeUndefined();

    const account = await createAccount(accounts, { email: 'm@example.com', sites: [] });
    await addMember(accounts, { accountId: account.accountId, userId, role: 'admin' });
    const second = await createAccount(accounts, { email: 'n@example.com', sites: [] });
    await expect(
      addMember(accounts, { accountId: second.accountId, userId, role: 'owner' }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await item(keyOf.membership(userId))).toMatchObject({
      accountId: account.accountId,
      role: 'admin',
    });
    const details = await describeAccount(accounts, directory(), account.accountId);
    expect(details.members.map((m) => m.userId)).toEqual([userId]);
  });
});
