import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { PROJECT_ROOT } from '../../local/server';
import { rememberSecret } from '../support/log-capture';

// What a person does on the console, step by step, finding each element by its role and name.

export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'console');

/** Opens the console, which sends the browser to the local issuer, and picks the member. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
  await eventually(() => page.getByRole('heading', { name: 'API Keys', level: 1 }).isVisible()).toBe(true);
  await page.getByRole('heading', { name: 'Account ID' }).waitFor();
}

/** The newest code mailed to `email`, read from the verify dialog's local Inbox panel. */
export async function codeFromInbox(dialog: Locator, email: string): Promise<string> {
  const mail = dialog
    .getByRole('listitem')
    .filter({ hasText: `to ${email}` })
    .first();
  await mail.waitFor();
  const text = (await mail.textContent()) ?? '';
  const code = /verification code:\s*(\d{6})/i.exec(text)?.[1];
  if (code === undefined) throw new Error(`no code in the mail: ${text}`);
  return code;
}

/** axe-core on what the page shows now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** The clipboard as the page sees it (a string expression: the test's own types have no DOM). */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}

/** In the open "Verify your account" dialog: Send Code, the code from the Inbox panel, the confirm button. */
export async function verifyWithEmailedCode(page: Page, email: string, confirmLabel: string): Promise<void> {
  const verify = page.getByRole('dialog', { name: 'Verify your account' });
  await verify.getByRole('button', { name: 'Send Code' }).click();
  const code = await codeFromInbox(verify, email);
  rememberSecret(code);
  await verify.getByRole('textbox', { name: 'Verification code' }).fill(code);
  await verify.getByRole('button', { name: confirmLabel }).click();
}

/** The token dialog's token, then Copy Token & Close; resolves once the dialog is gone. */
export async function takeToken(page: Page): Promise<string> {
  const dialog = page.getByRole('dialog', { name: 'You generated an API key' });
  const token = await dialog.getByRole('textbox', { name: 'API key token' }).inputValue();
  rememberSecret(token);
  await dialog.getByRole('button', { name: 'Copy Token & Close' }).click();
  await dialog.waitFor({ state: 'detached' });
  return token;
}

/** Generate API Key through the page, with these permissions besides the basic one. */
export async function generateKey(
  page: Page,
  email: string,
  name: string,
  permissions: readonly string[] = [],
): Promise<string> {
  await page.getByRole('button', { name: 'Generate API Key' }).click();
  await page.getByRole('textbox', { name: 'Name' }).fill(name);
  for (const permission of permissions) await page.getByRole('checkbox', { name: permission }).check();
  await page.getByRole('button', { name: 'Generate Key' }).click();
  await verifyWithEmailedCode(page, email, 'Verify & Generate Key');
  const token = await takeToken(page);
  await page.getByRole('row', { name: new RegExp(name) }).waitFor();
  return token;
}

/** Opens a key's More Actions menu and picks an item. */
export async function moreActions(page: Page, keyName: string, item: string): Promise<void> {
  await page.getByRole('button', { name: `More Actions for ${keyName}` }).click();
  await page.getByRole('menuitem', { name: item }).click();
}

/** GET /v1/sites on the protected API with an API key: the status code. */
export async function sitesStatus(url: string, token: string, accountId: string): Promise<number> {
  const response = await fetch(`${url}/v1/sites`, {
    headers: { authorization: token, 'x-account-id': accountId },
  });
  await response.body?.cancel();
  return response.status;
}

/** expect.poll with room for a loaded machine (its own default gives up after one second). */
export function eventually<T>(read: () => Promise<T> | T) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}
