import { describe, expect, it } from 'vitest';
import { BROWSER_TEST_TIMEOUT_MS, signedInConsole } from './console-harness';
import {
  eventually,
  expectAccessible,
  generateKey,
  moreActions,
  sitesStatus,
  takeToken,
  verifyWithEmailedCode,
} from './page-flows';

/**
 * The guide's Show permissions, Rotate, Duplicate, Edit and Delete, each end to end in Chromium
 * against `npm start`, each on a fresh account with a key generated through the page.
 */
const ui = signedInConsole();

function permissionsOf(keyName: string) {
  return ui.page.getByRole('list', { name: `Permissions of ${keyName}` });
}

describe('API Keys page: the More Actions and Show permissions flows', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('shows and hides a key’s permissions', async () => {
    await generateKey(ui.page, ui.account.email, 'Catalog', ['Stores', 'Bookings']);
    await ui.page.getByRole('button', { name: 'Show permissions of Catalog' }).click();
    const hide = ui.page.getByRole('button', { name: 'Hide permissions of Catalog' });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    expect(await permissionsOf('Catalog').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Stores',
      'Bookings',
    ]);
    await expectAccessible(ui.page, 'permissions shown');
    await hide.click();
    expect(await permissionsOf('Catalog').isVisible()).toBe(false);
    expect(
      await ui.page
        .getByRole('button', { name: 'Show permissions of Catalog' })
        .getAttribute('aria-expanded'),
    ).toBe('false');
  });

  it('rotates: Rotate Key, Validate & Rotate Key, a new token; the old one is refused at once', async () => {
    const oldToken = await generateKey(ui.page, ui.account.email, 'Payments');
    expect(await sitesStatus(ui.server.url, oldToken, ui.account.accountId)).toBe(200);

    await moreActions(ui.page, 'Payments', 'Rotate');
    const confirm = ui.page.getByRole('dialog', { name: 'Rotate Payments?' });
    expect(await confirm.textContent()).toContain('loses access immediately');
    await expectAccessible(ui.page, 'rotate pop-up');
    await confirm.getByRole('button', { name: 'Rotate Key' }).click();
    await verifyWithEmailedCode(ui.page, ui.account.email, 'Validate & Rotate Key');
    const newToken = await takeToken(ui.page);

    expect(newToken).not.toBe(oldToken);
    expect(await sitesStatus(ui.server.url, oldToken, ui.account.accountId)).toBe(403);
    expect(await sitesStatus(ui.server.url, newToken, ui.account.accountId)).toBe(200);
    expect(await ui.page.getByRole('row', { name: /Payments/ }).count()).toBe(1);
  });

  it('duplicates: the form prefilled as "Copy of", permissions changed, a second key with its own token', async () => {
    const original = await generateKey(ui.page, ui.account.email, 'Orders sync', ['Stores']);
    await moreActions(ui.page, 'Orders sync', 'Duplicate');
    await ui.page.getByRole('heading', { name: 'Duplicate API Key' }).waitFor();
    const name = ui.page.getByRole('textbox', { name: 'Name' });
    expect(await name.inputValue()).toBe('Copy of Orders sync');
    expect(await ui.page.getByRole('checkbox', { name: 'Stores' }).isChecked()).toBe(true);
    expect(await ui.page.getByRole('checkbox', { name: 'List sites' }).isDisabled()).toBe(true);
    await expectAccessible(ui.page, 'duplicate form');
    await ui.page.getByRole('checkbox', { name: 'Stores' }).uncheck();
    await ui.page.getByRole('checkbox', { name: 'Events' }).check();
    await ui.page.getByRole('button', { name: 'Generate Key' }).click();
    await verifyWithEmailedCode(ui.page, ui.account.email, 'Verify & Generate Key');
    const copy = await takeToken(ui.page);

    await ui.page.getByRole('button', { name: 'Show permissions of Copy of Orders sync' }).click();
    expect(await permissionsOf('Copy of Orders sync').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Events',
    ]);
    await ui.page.getByRole('button', { name: 'Show permissions of Orders sync' }).click();
    expect(await permissionsOf('Orders sync').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Stores',
    ]);
    expect(copy).not.toBe(original);
    expect(await sitesStatus(ui.server.url, copy, ui.account.accountId)).toBe(200);
    expect(await sitesStatus(ui.server.url, original, ui.account.accountId)).toBe(200);
  });

  it('edits: Save & Close, Yes, Save Changes, Verify & Save Changes; the token keeps working', async () => {
    const token = await generateKey(ui.page, ui.account.email, 'Reports');
    await moreActions(ui.page, 'Reports', 'Edit');
    await ui.page.getByRole('heading', { name: 'Edit API Key' }).waitFor();
    await ui.page.getByRole('textbox', { name: 'Name' }).fill('Nightly reports');
    await ui.page.getByRole('textbox', { name: 'Description (optional)' }).fill('Exports at 2 am');
    await ui.page.getByRole('checkbox', { name: 'Contacts' }).check();
    await ui.page.getByRole('button', { name: 'Save & Close' }).click();

    const confirm = ui.page.getByRole('dialog', { name: 'Save changes?' });
    await expectAccessible(ui.page, 'save changes pop-up');
    await confirm.getByRole('button', { name: 'Yes, Save Changes' }).click();
    await expectAccessible(ui.page, 'verify dialog for an edit');
    await verifyWithEmailedCode(ui.page, ui.account.email, 'Verify & Save Changes');

    const row = ui.page.getByRole('row', { name: /Nightly reports/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Exports at 2 am');
    await ui.page.getByRole('button', { name: 'Show permissions of Nightly reports' }).click();
    expect(await permissionsOf('Nightly reports').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Contacts',
    ]);
    expect(await ui.page.getByRole('row', { name: /^Reports/ }).count()).toBe(0);
    expect(await sitesStatus(ui.server.url, token, ui.account.accountId)).toBe(200);
  });

  it('deletes: Delete, Verify & Delete Key; the row is gone and the token is refused', async () => {
    const token = await generateKey(ui.page, ui.account.email, 'Old integration');
    await moreActions(ui.page, 'Old integration', 'Delete');
    const confirm = ui.page.getByRole('dialog', { name: 'Delete Old integration?' });
    await expectAccessible(ui.page, 'delete pop-up');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await verifyWithEmailedCode(ui.page, ui.account.email, 'Verify & Delete Key');

    await ui.page.getByRole('row', { name: /Old integration/ }).waitFor({ state: 'detached' });
    await ui.page.getByText('You have no API keys yet.').waitFor();
    expect(await sitesStatus(ui.server.url, token, ui.account.accountId)).toBe(403);
  });

  it('lists twenty keys, newest first, and shows the rest with Show More Keys', async () => {
    await ui.server.seedKeys(ui.account.accountId, 23);
    await ui.page.reload();
    await ui.page.getByRole('button', { name: `Sign in as ${ui.account.email}` }).click();
    const rows = ui.page.getByRole('row', { name: /Seeded key/ });
    await eventually(() => rows.count()).toBe(20);
    expect(await rows.first().textContent()).toContain('Seeded key 23');
    await ui.page.getByRole('button', { name: 'Show More Keys' }).click();
    await eventually(() => rows.count()).toBe(23);
    expect(await rows.last().textContent()).toContain('Seeded key 01');
    expect(await ui.page.getByRole('button', { name: 'Show More Keys' }).count()).toBe(0);
  });
});
