import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  BROWSER_TEST_TIMEOUT_MS,
  eventually,
  expectAccessible,
  generateKey,
  launchBrowser,
  moreActions,
  newConsoleContext,
  type RunningConsole,
  signIn,
  sitesStatus,
  startConsole,
  takeToken,
  verifyWithEmailedCode,
} from './console-harness';

/**
 * The guide's Show permissions, Rotate, Duplicate, Edit and Delete, each end to end in Chromium
 * against `npm start`, each on a fresh account with a key generated through the page.
 */
let server: RunningConsole;
let browser: Browser;
let context: BrowserContext;
let page: Page;
let account: { accountId: string; email: string };

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  await context?.close();
  context = await newConsoleContext(browser, server.url);
  page = await context.newPage();
  account = await server.newAccount();
  await signIn(page, server.url, account.email);
});

function permissionsOf(keyName: string) {
  return page.getByRole('list', { name: `Permissions of ${keyName}` });
}

describe('API Keys page: the More Actions and Show permissions flows', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('shows and hides a key’s permissions', async () => {
    await generateKey(page, account.email, 'Catalog', ['Stores', 'Bookings']);
    await page.getByRole('button', { name: 'Show permissions of Catalog' }).click();
    const hide = page.getByRole('button', { name: 'Hide permissions of Catalog' });
    expect(await hide.getAttribute('aria-expanded')).toBe('true');
    expect(await permissionsOf('Catalog').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Stores',
      'Bookings',
    ]);
    await expectAccessible(page, 'permissions shown');
    await hide.click();
    expect(await permissionsOf('Catalog').isVisible()).toBe(false);
    expect(
      await page.getByRole('button', { name: 'Show permissions of Catalog' }).getAttribute('aria-expanded'),
    ).toBe('false');
  });

  it('rotates: Rotate Key, Validate & Rotate Key, a new token; the old one is refused at once', async () => {
    const oldToken = await generateKey(page, account.email, 'Payments');
    expect(await sitesStatus(server.url, oldToken, account.accountId)).toBe(200);

    await moreActions(page, 'Payments', 'Rotate');
    const confirm = page.getByRole('dialog', { name: 'Rotate Payments?' });
    expect(await confirm.textContent()).toContain('loses access immediately');
    await expectAccessible(page, 'rotate pop-up');
    await confirm.getByRole('button', { name: 'Rotate Key' }).click();
    await verifyWithEmailedCode(page, account.email, 'Validate & Rotate Key');
    const newToken = await takeToken(page);

    expect(newToken).not.toBe(oldToken);
    expect(await sitesStatus(server.url, oldToken, account.accountId)).toBe(403);
    expect(await sitesStatus(server.url, newToken, account.accountId)).toBe(200);
    expect(await page.getByRole('row', { name: /Payments/ }).count()).toBe(1);
  });

  it('duplicates: the form prefilled as "Copy of", permissions changed, a second key with its own token', async () => {
    const original = await generateKey(page, account.email, 'Orders sync', ['Stores']);
    await moreActions(page, 'Orders sync', 'Duplicate');
    await page.getByRole('heading', { name: 'Duplicate API Key' }).waitFor();
    const name = page.getByRole('textbox', { name: 'Name' });
    expect(await name.inputValue()).toBe('Copy of Orders sync');
    expect(await page.getByRole('checkbox', { name: 'Stores' }).isChecked()).toBe(true);
    expect(await page.getByRole('checkbox', { name: 'List sites' }).isDisabled()).toBe(true);
    await expectAccessible(page, 'duplicate form');
    await page.getByRole('checkbox', { name: 'Stores' }).uncheck();
    await page.getByRole('checkbox', { name: 'Events' }).check();
    await page.getByRole('button', { name: 'Generate Key' }).click();
    await verifyWithEmailedCode(page, account.email, 'Verify & Generate Key');
    const copy = await takeToken(page);

    await page.getByRole('button', { name: 'Show permissions of Copy of Orders sync' }).click();
    expect(await permissionsOf('Copy of Orders sync').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Events',
    ]);
    await page.getByRole('button', { name: 'Show permissions of Orders sync' }).click();
    expect(await permissionsOf('Orders sync').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Stores',
    ]);
    expect(copy).not.toBe(original);
    expect(await sitesStatus(server.url, copy, account.accountId)).toBe(200);
    expect(await sitesStatus(server.url, original, account.accountId)).toBe(200);
  });

  it('edits: Save & Close, Yes, Save Changes, Verify & Save Changes; the token keeps working', async () => {
    const token = await generateKey(page, account.email, 'Reports');
    await moreActions(page, 'Reports', 'Edit');
    await page.getByRole('heading', { name: 'Edit API Key' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Nightly reports');
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('Exports at 2 am');
    await page.getByRole('checkbox', { name: 'Contacts' }).check();
    await page.getByRole('button', { name: 'Save & Close' }).click();

    const confirm = page.getByRole('dialog', { name: 'Save changes?' });
    await expectAccessible(page, 'save changes pop-up');
    await confirm.getByRole('button', { name: 'Yes, Save Changes' }).click();
    await expectAccessible(page, 'verify dialog for an edit');
    await verifyWithEmailedCode(page, account.email, 'Verify & Save Changes');

    const row = page.getByRole('row', { name: /Nightly reports/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Exports at 2 am');
    await page.getByRole('button', { name: 'Show permissions of Nightly reports' }).click();
    expect(await permissionsOf('Nightly reports').getByRole('listitem').allTextContents()).toEqual([
      'List sites',
      'Contacts',
    ]);
    expect(await page.getByRole('row', { name: /^Reports/ }).count()).toBe(0);
    expect(await sitesStatus(server.url, token, account.accountId)).toBe(200);
  });

  it('deletes: Delete, Verify & Delete Key; the row is gone and the token is refused', async () => {
    const token = await generateKey(page, account.email, 'Old integration');
    await moreActions(page, 'Old integration', 'Delete');
    const confirm = page.getByRole('dialog', { name: 'Delete Old integration?' });
    await expectAccessible(page, 'delete pop-up');
    await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
    await verifyWithEmailedCode(page, account.email, 'Verify & Delete Key');

    await page.getByRole('row', { name: /Old integration/ }).waitFor({ state: 'detached' });
    await page.getByText('You have no API keys yet.').waitFor();
    expect(await sitesStatus(server.url, token, account.accountId)).toBe(403);
  });

  it('lists twenty keys, newest first, and shows the rest with Show More Keys', async () => {
    await server.seedKeys(account.accountId, 23);
    await page.reload();
    await page.getByRole('button', { name: `Sign in as ${account.email}` }).click();
    const rows = page.getByRole('row', { name: /Seeded key/ });
    await eventually(() => rows.count()).toBe(20);
    expect(await rows.first().textContent()).toContain('Seeded key 23');
    await page.getByRole('button', { name: 'Show More Keys' }).click();
    await eventually(() => rows.count()).toBe(23);
    expect(await rows.last().textContent()).toContain('Seeded key 01');
    expect(await page.getByRole('button', { name: 'Show More Keys' }).count()).toBe(0);
  });
});
