import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import {
  BROWSER_TEST_TIMEOUT_MS,
  codeFromInbox,
  eventually,
  expectAccessible,
  launchBrowser,
  newConsoleContext,
  type RunningConsole,
  readClipboard,
  screenshot,
  signIn,
  sitesStatus,
  startConsole,
} from './console-harness';

/**
 * The guide's "Generating a Wix API key" and "Getting your Account ID", end to end in Chromium
 * against `npm start`: every label is the guide's, every element is found by role and name.
 */
let server: RunningConsole;
let browser: Browser;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

beforeEach(async () => {
  await context?.close();
  context = await newConsoleContext(browser, server.url);
  page = await context.newPage();
});

describe('API Keys page: generate', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('signs in, copies the Account ID, generates a key with the emailed code, and the token works', async () => {
    const { accountId, email } = await server.newAccount();
    await page.goto(`${server.url}/`);
    await page.getByRole('button', { name: `Sign in as ${email}` }).waitFor();
    await expectAccessible(page, 'local sign-in page');
    await signIn(page, server.url, email);

    // Empty state, then Copy ID under Account ID.
    await eventually(() => page.getByText('You have no API keys yet.').isVisible()).toBe(true);
    await expectAccessible(page, 'empty list');
    await page.getByRole('button', { name: 'Copy ID' }).click();
    expect(await readClipboard(page)).toBe(accountId);

    // Generate API Key: Key details, then Permissions with the basic one checked and disabled.
    await page.getByRole('button', { name: 'Generate API Key' }).click();
    await page.getByRole('textbox', { name: 'Name' }).fill('Orders sync');
    await page.getByRole('textbox', { name: 'Description (optional)' }).fill('Nightly order export');
    const basic = page.getByRole('checkbox', { name: 'List sites' });
    expect(await basic.isChecked()).toBe(true);
    expect(await basic.isDisabled()).toBe(true);
    await page.getByRole('checkbox', { name: 'Stores' }).check();
    await expectAccessible(page, 'generate form');
    await screenshot(page, 'generate-form');
    await page.getByRole('button', { name: 'Generate Key' }).click();

    // Verify your account: Send Code shows where it went; the code comes from the local inbox.
    const verify = page.getByRole('dialog', { name: 'Verify your account' });
    await expectAccessible(page, 'verify dialog');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    // Waited for like every other element, not polled for a second: a loaded machine sends slower.
    await verify.getByText(/We sent a 6-digit code to o\*+@console\.example/).waitFor();
    const codeInput = verify.getByRole('textbox', { name: 'Verification code' });
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    const code = await codeFromInbox(verify, email);
    rememberSecret(code);
    await expectAccessible(page, 'verify dialog with code');
    await codeInput.fill(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();

    // You generated an API key: the token once, then Copy Token & Close.
    const tokenDialog = page.getByRole('dialog', { name: 'You generated an API key' });
    await tokenDialog.waitFor();
    const token = await tokenDialog.getByRole('textbox', { name: 'API key token' }).inputValue();
    rememberSecret(token);
    expect(token).toMatch(/^lk_/);
    await expectAccessible(page, 'token dialog');
    await screenshot(page, 'token-dialog');
    await tokenDialog.getByRole('button', { name: 'Copy Token & Close' }).click();
    await tokenDialog.waitFor({ state: 'detached' });
    expect(await readClipboard(page)).toBe(token);

    // The new row; the token is nowhere in the page any more.
    const row = page.getByRole('row', { name: /Orders sync/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Nightly order export');
    expect(await row.textContent()).toContain('2 permissions');
    expect(await page.content()).not.toContain(token);
    await expectAccessible(page, 'key list');
    await screenshot(page, 'key-list');

    expect(await sitesStatus(server.url, token, accountId)).toBe(200);
    expect(server.output()).not.toContain(token);
    expect(server.output()).not.toContain(code);
  });
});
