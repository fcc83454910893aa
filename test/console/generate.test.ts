import { describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import { BROWSER_TEST_TIMEOUT_MS, signedInConsole } from './console-harness';
import {
  codeFromInbox,
  eventually,
  expectAccessible,
  readClipboard,
  screenshot,
  signIn,
  sitesStatus,
} from './page-flows';

/**
 * The guide's "Generating a Wix API key" and "Getting your Account ID", end to end in Chromium
 * against `npm start`: every label is the guide's, every element is found by role and name.
 */
const ui = signedInConsole({ signIn: false });

describe('API Keys page: generate', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('signs in, copies the Account ID, generates a key with the emailed code, and the token works', async () => {
    const { accountId, email } = ui.account;
    await ui.page.goto(`${ui.server.url}/`);
    await ui.page.getByRole('button', { name: `Sign in as ${email}` }).waitFor();
    await expectAccessible(ui.page, 'local sign-in page');
    await signIn(ui.page, ui.server.url, email);

    // Empty state, then Copy ID under Account ID.
    await eventually(() => ui.page.getByText('You have no API keys yet.').isVisible()).toBe(true);
    await expectAccessible(ui.page, 'empty list');
    await ui.page.getByRole('button', { name: 'Copy ID' }).click();
    expect(await readClipboard(ui.page)).toBe(accountId);

    // Generate API Key: Key details, then Permissions with the basic one checked and disabled.
    await ui.page.getByRole('button', { name: 'Generate API Key' }).click();
    await ui.page.getByRole('textbox', { name: 'Name' }).fill('Orders sync');
    await ui.page.getByRole('textbox', { name: 'Description (optional)' }).fill('Nightly order export');
    const basic = ui.page.getByRole('checkbox', { name: 'List sites' });
    expect(await basic.isChecked()).toBe(true);
    expect(await basic.isDisabled()).toBe(true);
    await ui.page.getByRole('checkbox', { name: 'Stores' }).check();
    await expectAccessible(ui.page, 'generate form');
    await screenshot(ui.page, 'generate-form');
    await ui.page.getByRole('button', { name: 'Generate Key' }).click();

    // Verify your account: Send Code shows where it went; the code comes from the local inbox.
    const verify = ui.page.getByRole('dialog', { name: 'Verify your account' });
    await expectAccessible(ui.page, 'verify dialog');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    // Waited for like every other element, not polled for a second: a loaded machine sends slower.
    await verify.getByText(/We sent a 6-digit code to o\*+@console\.example/).waitFor();
    const codeInput = verify.getByRole('textbox', { name: 'Verification code' });
    expect(await codeInput.getAttribute('inputmode')).toBe('numeric');
    expect(await codeInput.getAttribute('autocomplete')).toBe('one-time-code');
    const code = await codeFromInbox(verify, email);
    rememberSecret(code);
    await expectAccessible(ui.page, 'verify dialog with code');
    await codeInput.fill(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();

    // You generated an API key: the token once, then Copy Token & Close.
    const tokenDialog = ui.page.getByRole('dialog', { name: 'You generated an API key' });
    await tokenDialog.waitFor();
    const token = await tokenDialog.getByRole('textbox', { name: 'API key token' }).inputValue();
    rememberSecret(token);
    expect(token).toMatch(/^lk_/);
    await expectAccessible(ui.page, 'token dialog');
    await screenshot(ui.page, 'token-dialog');
    await tokenDialog.getByRole('button', { name: 'Copy Token & Close' }).click();
    await tokenDialog.waitFor({ state: 'detached' });
    expect(await readClipboard(ui.page)).toBe(token);

    // The new row; the token is nowhere in the page any more.
    const row = ui.page.getByRole('row', { name: /Orders sync/ });
    await row.waitFor();
    expect(await row.textContent()).toContain('Nightly order export');
    expect(await row.textContent()).toContain('2 permissions');
    expect(await ui.page.content()).not.toContain(token);
    await expectAccessible(ui.page, 'key list');
    await screenshot(ui.page, 'key-list');

    expect(await sitesStatus(ui.server.url, token, accountId)).toBe(200);
    expect(ui.server.output()).not.toContain(token);
    expect(ui.server.output()).not.toContain(code);
  });
});
