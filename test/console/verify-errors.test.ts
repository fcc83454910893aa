import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
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
  signIn,
  startConsole,
  takeToken,
} from './console-harness';

/**
 * The verify dialog when a code does not do it: a wrong code, an expired one, and the account's
 * code limit, each with its own message in an alert (so a screen reader announces it).
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

/** Generate API Key as far as the verify dialog. */
async function openVerifyForNewKey(name: string): Promise<Locator> {
  await page.getByRole('button', { name: 'Generate API Key' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  await page.getByRole('button', { name: 'Generate Key' }).click();
  return page.getByRole('dialog', { name: 'Verify your account' });
}

async function alertText(dialog: Locator): Promise<string> {
  const alert = dialog.getByRole('alert');
  await eventually(async () => (await alert.textContent()) ?? '').not.toBe('');
  return (await alert.textContent()) ?? '';
}

describe('the verify dialog when the code does not confirm the action', {
  timeout: BROWSER_TEST_TIMEOUT_MS,
}, () => {
  it('says a wrong code is wrong, with the tries left, and then takes the right one', async () => {
    const verify = await openVerifyForNewKey('Wrong code');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    const code = await codeFromInbox(verify, account.email);
    rememberSecret(code);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const input = verify.getByRole('textbox', { name: 'Verification code' });
    await input.fill(wrong);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    expect(await alertText(verify)).toBe(
      'That code is not right. Check the code in the email and try again (4 tries left).',
    );
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(page, 'verify dialog with an error');

    // A pasted code with a space in it is taken as its six digits.
    await input.fill('');
    await input.focus();
    await page.keyboard.insertText(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(await input.inputValue()).toBe(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    await takeToken(page);
    await page.getByRole('row', { name: /Wrong code/ }).waitFor();
  });

  it('says an expired code has expired and offers Resend', async () => {
    const verify = await openVerifyForNewKey('Late');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    const code = await codeFromInbox(verify, account.email);
    rememberSecret(code);
    expect(await server.expireChallenges(account.accountId)).toBe(1);
    await verify.getByRole('textbox', { name: 'Verification code' }).fill(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    expect(await alertText(verify)).toBe('This code has expired. Click Resend to get a new one.');
    expect(await verify.getByRole('button', { name: 'Resend' }).isVisible()).toBe(true);
  });

  it('says when the account may ask for a code again once it has asked for too many', async () => {
    // The account's code budget (5 in 15 minutes), spent through the API as another tab would.
    const jwt = await server.ownerJwt(account.accountId);
    for (let i = 0; i < 5; i += 1) {
      const response = await fetch(`${server.url}/v1/verifications`, {
        method: 'POST',
        headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', request: { name: `Spent ${i}`, permissions: [] } }),
      });
      expect(response.status).toBe(201);
      await response.body?.cancel();
    }
    const verify = await openVerifyForNewKey('One too many');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    expect(await alertText(verify)).toMatch(
      /^You have asked for too many codes\. You can try again at \d{1,2}:\d{2}( [AP]M)? \(in \d+ minutes?\)\.$/,
    );
    // Nothing was sent: the dialog still offers Send Code, not a code field.
    expect(await verify.getByRole('textbox', { name: 'Verification code' }).count()).toBe(0);
    await expectAccessible(page, 'verify dialog, rate limited');
  });
});
