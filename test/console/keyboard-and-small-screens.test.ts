import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import { BROWSER_TEST_TIMEOUT_MS, signedInConsole } from './console-harness';
import { codeFromInbox, eventually, expectAccessible, generateKey, screenshot, signIn } from './page-flows';

/** The page with the keyboard alone (focus trapped in dialogs, Escape, focus returned) and at 375 px. */
const ui = signedInConsole({ signIn: false });

/** The focused element's accessible label or text (string expressions: the tests' types have no DOM). */
function focused(page: Page): Promise<string> {
  return page.evaluate<string>(
    '(() => { const e = document.activeElement; if (e === null) return ""; const label = e.labels && e.labels[0]; return (e.getAttribute("aria-label") || (label && label.textContent) || e.textContent || e.tagName).trim(); })()',
  );
}

function focusInOpenDialog(page: Page): Promise<boolean> {
  return page.evaluate<boolean>(
    '(() => { const d = document.querySelector("dialog[open]"); return d !== null && d.contains(document.activeElement); })()',
  );
}

describe('the API Keys page', { timeout: BROWSER_TEST_TIMEOUT_MS }, () => {
  it('does the generate and delete flows with the keyboard alone', async () => {
    const { page } = ui;
    const { email } = ui.account;
    await page.goto(`${ui.server.url}/`);
    await page.getByRole('button', { name: `Sign in as ${email}` }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Generate API Key' }).focus();
    await page.keyboard.press('Enter');

    // The form takes focus at its heading; Tab walks Name, Description, then the first enabled checkbox.
    await page.getByRole('heading', { name: 'Generate API Key' }).waitFor();
    await eventually(() => focused(page)).toBe('Generate API Key');
    await page.keyboard.press('Tab');
    await page.keyboard.type('Keyboard key');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
    expect(await page.getByRole('checkbox', { name: 'Stores' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Generate Key' }).focus();
    await page.keyboard.press('Enter');

    // The verify dialog traps focus; Escape closes it and focus returns to what opened it.
    const verify = page.getByRole('dialog', { name: 'Verify your account' });
    await verify.waitFor();
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      expect(await focusInOpenDialog(page)).toBe(true);
    }
    await page.keyboard.press('Escape');
    await verify.waitFor({ state: 'detached' });
    await eventually(() => focused(page)).toBe('Generate Key');

    await page.keyboard.press('Enter');
    await verify.getByRole('button', { name: 'Send Code' }).focus();
    await page.keyboard.press('Enter');
    const code = await codeFromInbox(verify, email);
    rememberSecret(code);
    await eventually(() => focused(page)).toBe('Verification code');
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');

    // Escape on the token dialog asks before the token is lost; Go Back returns to it.
    const tokenDialog = page.getByRole('dialog', { name: 'You generated an API key' });
    await tokenDialog.waitFor();
    rememberSecret(await tokenDialog.getByRole('textbox', { name: 'API key token' }).inputValue());
    await page.keyboard.press('Escape');
    const ask = page.getByRole('dialog', { name: 'Close without copying?' });
    await ask.waitFor();
    await expectAccessible(page, 'close without copying pop-up');
    await ask.getByRole('button', { name: 'Go Back' }).focus();
    await page.keyboard.press('Enter');
    await tokenDialog.getByRole('button', { name: 'Copy Token & Close' }).focus();
    await page.keyboard.press('Enter');
    await tokenDialog.waitFor({ state: 'detached' });

    // More Actions: arrows move through the menu, Escape closes it and returns to the button.
    const more = page.getByRole('button', { name: 'More Actions for Keyboard key' });
    await more.focus();
    await page.keyboard.press('ArrowDown');
    await eventually(() => focused(page)).toBe('Rotate');
    await page.keyboard.press('ArrowDown');
    await eventually(() => focused(page)).toBe('Duplicate');
    await page.keyboard.press('End');
    await eventually(() => focused(page)).toBe('Delete');
    await expectAccessible(page, 'More Actions menu');
    await page.keyboard.press('Escape');
    expect(await page.getByRole('menu').count()).toBe(0);
    await eventually(() => focused(page)).toBe('More Actions for Keyboard key');

    await page.keyboard.press('ArrowDown');
    await eventually(() => focused(page)).toBe('Rotate');
    await page.keyboard.press('End');
    await eventually(() => focused(page)).toBe('Delete');
    await page.keyboard.press('Enter');
    const confirm = page.getByRole('dialog', { name: 'Delete Keyboard key?' });
    await confirm.waitFor();
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await eventually(() => focused(page)).toBe('More Actions for Keyboard key');
  });

  it('fits a 375 px wide screen without sideways scrolling', async () => {
    const { page } = ui;
    await page.setViewportSize({ width: 375, height: 812 });
    const { email } = ui.account;
    await signIn(page, ui.server.url, email);
    await generateKey(page, email, 'Phone key', ['Stores']);
    const overflow = () => page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(await overflow()).toBeLessThanOrEqual(0);
    await expectAccessible(page, 'key list at 375 px');
    await screenshot(page, 'key-list-375');
    await page.getByRole('button', { name: 'Generate API Key' }).click();
    await page.getByRole('heading', { name: 'Generate API Key' }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
  });

  it('shows the Local mode badge and the Inbox panel, signs out, and then asks who to sign in as', async () => {
    const { page } = ui;
    const { email } = ui.account;
    await signIn(page, ui.server.url, email);
    await page.getByText('Local mode', { exact: true }).waitFor();
    const inbox = page.getByRole('button', { name: 'Inbox' });
    await inbox.click();
    expect(await inbox.getAttribute('aria-expanded')).toBe('true');
    await page.getByRole('region', { name: 'Inbox (local mode)' }).waitFor();
    await expectAccessible(page, 'inbox panel');
    await inbox.click();
    await page.getByRole('region', { name: 'Inbox (local mode)' }).waitFor({ state: 'detached' });

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByText('You signed out.').waitFor();
    expect(await page.getByRole('button', { name: 'Generate API Key' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: `Sign in as ${email}` }).waitFor();
  });

  it('goes back to the sign-in page when the API answers 401 to a session it no longer accepts', async () => {
    const { page } = ui;
    const { email } = ui.account;
    await signIn(page, ui.server.url, email);
    const refused: string[] = [];
    page.on('response', (response) => {
      if (response.status() === 401) refused.push(new URL(response.url()).pathname);
    });
    // From here the browser presents its token with a broken signature, as a revoked or expired
    // session would be: the real local gateway checks it and answers 401.
    await page.route('**/v1/**', (route) => {
      const headers = route.request().headers();
      return route.continue({ headers: { ...headers, authorization: `${headers.authorization ?? ''}x` } });
    });
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('button', { name: `Sign in as ${email}` }).waitFor();
    expect(refused).toContain('/v1/audit-events');
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);

    await page.unroute('**/v1/**');
    await page.getByRole('button', { name: `Sign in as ${email}` }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
  });
});
