import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import { BROWSER_TEST_TIMEOUT_MS, signedInConsole } from './console-harness';
import { codeFromInbox, eventually, expectAccessible, takeToken } from './page-flows';

/**
 * The verify dialog when a code does not do it: a wrong code, an expired one, and the account's
 * code limit, each with its own message in an alert (so a screen reader announces it).
 */
const ui = signedInConsole();

/** Generate API Key as far as the verify dialog. */
async function openVerifyForNewKey(name: string): Promise<Locator> {
  await ui.page.getByRole('button', { name: 'Generate API Key' }).click();
  await ui.page.getByRole('textbox', { name: 'Name' }).fill(name);
  await ui.page.getByRole('button', { name: 'Generate Key' }).click();
  return ui.page.getByRole('dialog', { name: 'Verify your account' });
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
    const code = await codeFromInbox(verify, ui.account.email);
    rememberSecret(code);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const input = verify.getByRole('textbox', { name: 'Verification code' });
    await input.fill(wrong);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    expect(await alertText(verify)).toBe(
      'That code is not right. Check the code in the email and try again (4 tries left).',
    );
    expect(await input.getAttribute('aria-invalid')).toBe('true');
    await expectAccessible(ui.page, 'verify dialog with an error');

    // A pasted code with a space in it is taken as its six digits.
    await input.fill('');
    await input.focus();
    await ui.page.keyboard.insertText(`${code.slice(0, 3)} ${code.slice(3)}`);
    expect(await input.inputValue()).toBe(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    await takeToken(ui.page);
    await ui.page.getByRole('row', { name: /Wrong code/ }).waitFor();
  });

  it('says an expired code has expired and offers Resend', async () => {
    const verify = await openVerifyForNewKey('Late');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    const code = await codeFromInbox(verify, ui.account.email);
    rememberSecret(code);
    expect(await ui.server.expireChallenges(ui.account.accountId)).toBe(1);
    await verify.getByRole('textbox', { name: 'Verification code' }).fill(code);
    await verify.getByRole('button', { name: 'Verify & Generate Key' }).click();
    expect(await alertText(verify)).toBe('This code has expired. Click Resend to get a new one.');
    expect(await verify.getByRole('button', { name: 'Resend' }).isVisible()).toBe(true);
  });

  it('says when the account may ask for a code again once it has asked for too many', async () => {
    // The account's code budget (5 in 15 minutes), spent through the API as another tab would.
    const jwt = await ui.server.ownerJwt(ui.account.accountId);
    for (let i = 0; i < 5; i += 1) {
      const intent = { action: 'create', request: { name: `Spent ${i}`, permissions: [] } };
      expect((await ui.server.call(jwt, 'POST', '/v1/verifications', intent)).status).toBe(201);
    }
    const verify = await openVerifyForNewKey('One too many');
    await verify.getByRole('button', { name: 'Send Code' }).click();
    expect(await alertText(verify)).toMatch(
      /^You have asked for too many codes\. You can try again at \d{1,2}:\d{2}( [AP]M)? \(in \d+ minutes?\)\.$/,
    );
    // Nothing was sent: the dialog still offers Send Code, not a code field.
    expect(await verify.getByRole('textbox', { name: 'Verification code' }).count()).toBe(0);
    await expectAccessible(ui.page, 'verify dialog, rate limited');
  });
});
