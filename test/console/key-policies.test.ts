import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import {
  codeFromInbox,
  expectAccessible,
  launchBrowser,
  newConsoleContext,
  type RunningConsole,
  screenshot,
  signIn,
  startConsole,
} from './console-harness';

/**
 * Key policies in the console, in Chromium against `npm start`: the generate form's expiry,
 * sites, read-only and IP fields, and the rotate pop-up's grace period, each proven by calling the
 * protected API with the token the page showed.
 */
let server: RunningConsole;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  context = await newConsoleContext(browser, server.url);
  page = await context.newPage();
}, 120_000);

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

async function status(token: string, accountId: string, method: string, path: string, siteId?: string) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: {
      authorization: token,
      'x-account-id': accountId,
      ...(siteId === undefined ? {} : { 'x-site-id': siteId }),
      'content-type': 'application/json',
    },
    ...(method === 'POST' ? { body: JSON.stringify({ name: 'Mug', priceCents: 900, currency: 'EUR' }) } : {}),
  });
  await response.body?.cancel();
  return response.status;
}

/** Send Code, read it from the local inbox panel, enter it, press the dialog's verify button. */
async function verifyWithCode(email: string, button: string | RegExp): Promise<void> {
  const verify = page.getByRole('dialog', { name: 'Verify your account' });
  await verify.getByRole('button', { name: 'Send Code' }).click();
  const code = await codeFromInbox(verify, email);
  rememberSecret(code);
  await verify.getByRole('textbox', { name: 'Verification code' }).fill(code);
  await verify.getByRole('button', { name: button }).click();
}

async function tokenFromDialog(): Promise<string> {
  const dialog: Locator = page.getByRole('dialog', { name: 'You generated an API key' });
  await dialog.waitFor();
  const token = await dialog.getByRole('textbox', { name: 'API key token' }).inputValue();
  rememberSecret(token);
  await dialog.getByRole('button', { name: 'Copy Token & Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  return token;
}

describe('API Keys page: key limits', () => {
  it('generates a read-only key for chosen sites, with an expiry and an IP list, and rotates it with a grace period', async () => {
    const { accountId, email, siteIds } = await server.newAccount(['Outlet']);
    const [shop = '', outlet = ''] = siteIds;
    await signIn(page, server.url, email);

    await page.getByRole('button', { name: 'Generate API Key' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Catalog reader');
    await page.getByRole('checkbox', { name: 'Stores', exact: true }).check();
    const access = page.getByRole('combobox', { name: 'Stores access' });
    expect(await access.inputValue()).toBe('write');
    await access.selectOption({ label: 'Read only' });
    const expires = page.getByRole('combobox', { name: 'Expires' });
    expect(await expires.inputValue()).toBe('never');
    await expires.selectOption({ label: 'In 30 days' });
    expect(
      await page.getByRole('radio', { name: 'All sites, including sites added later' }).isChecked(),
    ).toBe(true);
    await page.getByRole('radio', { name: 'Chosen sites' }).check();
    await page.getByRole('checkbox', { name: `Outlet (${outlet})` }).check();
    // The test calls from this machine, over IPv4 or IPv6 loopback.
    await page.getByRole('textbox', { name: 'Allowed IP addresses (optional)' }).fill('127.0.0.1\n::1');
    await expectAccessible(page, 'generate form with limits');
    await screenshot(page, 'generate-form-limits');
    await page.getByRole('button', { name: 'Generate Key' }).click();
    await verifyWithCode(email, 'Verify & Generate Key');
    const token = await tokenFromDialog();

    expect(await status(token, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await status(token, accountId, 'POST', '/v1/stores/products', outlet)).toBe(403);
    expect(await status(token, accountId, 'GET', '/v1/stores/products', shop)).toBe(403);

    const row = page.getByRole('row', { name: /Catalog reader/ });
    await row.waitFor();
    const in30Days = new Date(Date.now() + 30 * 24 * 3600 * 1000).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
    });
    expect(await row.textContent()).toContain(in30Days);
    await screenshot(page, 'key-list-limits');
    await row.getByRole('button', { name: 'Show permissions of Catalog reader' }).click();
    expect(await row.getByRole('list', { name: 'Permissions of Catalog reader' }).textContent()).toContain(
      'Stores (read only)',
    );

    // Rotate, keeping the old token for an hour: both work.
    await row.getByRole('button', { name: 'More Actions for Catalog reader' }).click();
    await page.getByRole('menuitem', { name: 'Rotate' }).click();
    const rotate = page.getByRole('dialog', { name: 'Rotate Catalog reader?' });
    expect(await rotate.getByRole('radio', { name: 'Immediately' }).isChecked()).toBe(true);
    await rotate.getByRole('radio', { name: 'After 1 hour' }).check();
    await expectAccessible(page, 'rotate pop-up');
    await rotate.getByRole('button', { name: 'Rotate Key' }).click();
    await verifyWithCode(email, 'Validate & Rotate Key');
    const rotated = await tokenFromDialog();
    expect(rotated).not.toBe(token);
    expect(await status(token, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await status(rotated, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await page.content()).not.toContain(rotated);
  }, 120_000);
});
