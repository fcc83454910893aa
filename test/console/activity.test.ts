import { describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import { signedInConsole } from './console-harness';
import { expectAccessible, screenshot, signIn } from './page-flows';

/**
 * The Activity page in Chromium against `npm start`: the audit log of an account whose key was
 * generated and rotated through the API, filtered by event type and by key like the API's filters.
 */
const ui = signedInConsole({ signIn: false });

describe('Activity page', () => {
  it('shows the account’s events newest first and filters them by event and by key', async () => {
    const { accountId, email } = ui.account;
    const jwt = await ui.server.ownerJwt(accountId);
    const body = { name: 'Audited key', permissions: ['stores'] };
    const created = await ui.server.call(
      jwt,
      'POST',
      '/v1/api-keys',
      body,
      await ui.server.proof(jwt, email, { action: 'create', request: body }),
    );
    expect(created.status).toBe(201);
    rememberSecret(String(created.json.token));
    const keyId = String((created.json.apiKey as { keyId: string }).keyId);
    const other = { name: 'Other key', permissions: [] };
    const second = await ui.server.call(
      jwt,
      'POST',
      '/v1/api-keys',
      other,
      await ui.server.proof(jwt, email, { action: 'create', request: other }),
    );
    rememberSecret(String(second.json.token));
    const rotated = await ui.server.call(
      jwt,
      'POST',
      `/v1/api-keys/${keyId}/rotate`,
      {},
      await ui.server.proof(jwt, email, { action: 'rotate', keyId }),
    );
    expect(rotated.status).toBe(200);
    rememberSecret(String(rotated.json.token));

    await signIn(ui.page, ui.server.url, email);
    await ui.page.getByRole('link', { name: 'Activity' }).click();
    await ui.page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    const table = ui.page.getByRole('table', { name: /Activity of this account/ });
    await table.waitFor();
    const rowHeaders = async () => table.getByRole('rowheader').allTextContents();
    await expect
      .poll(rowHeaders)
      .toEqual(['Key rotated', 'Code sent', 'Key generated', 'Code sent', 'Key generated', 'Code sent']);
    const newest = table.getByRole('row').nth(1);
    expect(await newest.textContent()).toContain('Audited key');
    expect(await newest.textContent()).toMatch(/o\*\*\*@console\.example/);
    await expectAccessible(ui.page, 'activity page');
    await screenshot(ui.page, 'activity');

    await ui.page.getByRole('combobox', { name: 'Event' }).selectOption({ label: 'Key generated' });
    await expect.poll(rowHeaders).toEqual(['Key generated', 'Key generated']);

    await ui.page.getByRole('combobox', { name: 'Key' }).selectOption({ label: 'Audited key' });
    await expect.poll(rowHeaders).toEqual(['Key generated']);
    await ui.page.getByRole('combobox', { name: 'Event' }).selectOption({ label: 'All events' });
    // The code for generating had no key yet, so only the rotation's code is the key's.
    await expect.poll(rowHeaders).toEqual(['Key rotated', 'Code sent', 'Key generated']);

    await ui.page.getByRole('link', { name: 'API Keys' }).click();
    await ui.page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    expect(ui.server.output()).not.toContain(String(rotated.json.token));
  });
});
