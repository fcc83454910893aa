import { describe, expect, it } from 'vitest';
import { handler as getAccount } from '../../functions/account/get-account';
import { handler as listPermissions } from '../../functions/permissions/list-permissions';
import { PERMISSIONS } from '../../shared/domain/permissions';
import { seedAccount } from '../support/accounts';
import { invoke, managementEvent } from '../support/events';

const accountEvent = (userId?: string) =>
  managementEvent({ method: 'GET', path: '/v1/account', routeKey: 'GET /v1/account', userId });

describe('GET /v1/account', () => {
  it("returns the caller's account id, masked email and sites", async () => {
    const { account, ownerId } = await seedAccount({ email: 'jane@example.com' });
    const response = await invoke(getAccount, accountEvent(ownerId));
    expect(response.statusCode).toBe(200);
    expect(response.json).toEqual({
      accountId: account.accountId,
      email: 'j***@example.com',
      sites: account.sites,
    });
    expect(response.headers['Cache-Control']).toBe('no-store');
  });

  it('refuses a caller with no JWT subject with 401', async () => {
    const response = await invoke(getAccount, accountEvent(undefined));
    expect(response.statusCode).toBe(401);
    expect(response.json).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('refuses a signed-in user who belongs to no account with 403', async () => {
    const response = await invoke(getAccount, accountEvent('user-nobody'));
    expect(response.statusCode).toBe(403);
    expect(response.json).toMatchObject({ error: { code: 'no_account' } });
  });
});

describe('GET /v1/permissions', () => {
  it('lists the catalog with sites.list required', async () => {
    const response = await invoke(
      listPermissions,
      managementEvent({
        method: 'GET',
        path: '/v1/permissions',
        routeKey: 'GET /v1/permissions',
        userId: 'u',
      }),
    );
    expect(response.statusCode).toBe(200);
    const body = response.json as { permissions: typeof PERMISSIONS };
    expect(body.permissions.map((p) => p.id)).toEqual(PERMISSIONS.map((p) => p.id));
    expect(body.permissions.find((p) => p.id === 'sites.list')).toMatchObject({
      required: true,
      scope: 'account',
    });
  });
});
