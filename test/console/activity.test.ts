import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rememberSecret } from '../support/log-capture';
import {
  expectAccessible,
  launchBrowser,
  newConsoleContext,
  type RunningConsole,
  screenshot,
  signIn,
  startConsole,
} from './console-harness';

/**
 * The Activity page in Chromium against `npm start`: the audit log of an account whose key was
 * generated and rotated through the API, filtered by event type and by key like the API's filters.
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

/** The management API as a script would call it, with the local dev token of the account's owner. */
async function api(
  jwt: string,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
) {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function proof(jwt: string, email: string, intent: Record<string, unknown>) {
  const sent = await api(jwt, 'POST', '/v1/verifications', intent);
  expect(sent.status).toBe(201);
  const inbox = (await (await fetch(`${server.url}/local/inbox`)).json()) as {
    emails: { to: string; text: string }[];
  };
  const code = /verification code:\s*(\d{6})/i.exec(
    inbox.emails.find((m) => m.to === email)?.text ?? '',
  )?.[1];
  if (code === undefined) throw new Error('no code mailed');
  rememberSecret(code);
  return { 'x-verification-id': String(sent.json.verificationId), 'x-verification-code': code };
}

describe('Activity page', () => {
  it('shows the account’s events newest first and filters them by event and by key', async () => {
    const { accountId, email } = await server.newAccount();
    const devToken = (await (await fetch(`${server.url}/local/dev-token?account=${accountId}`)).json()) as {
      token: string;
    };
    const jwt = devToken.token;
    rememberSecret(jwt);
    const body = { name: 'Audited key', permissions: ['stores'] };
    const created = await api(
      jwt,
      'POST',
      '/v1/api-keys',
      body,
      await proof(jwt, email, { action: 'create', request: body }),
    );
    expect(created.status).toBe(201);
    rememberSecret(String(created.json.token));
    const keyId = String((created.json.apiKey as { keyId: string }).keyId);
    const other = { name: 'Other key', permissions: [] };
    const second = await api(
      jwt,
      'POST',
      '/v1/api-keys',
      other,
      await proof(jwt, email, { action: 'create', request: other }),
    );
    rememberSecret(String(second.json.token));
    const rotated = await api(
      jwt,
      'POST',
      `/v1/api-keys/${keyId}/rotate`,
      {},
      await proof(jwt, email, { action: 'rotate', keyId }),
    );
    expect(rotated.status).toBe(200);
    rememberSecret(String(rotated.json.token));

    await signIn(page, server.url, email);
    await page.getByRole('link', { name: 'Activity' }).click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    const table = page.getByRole('table', { name: /Activity of this account/ });
    await table.waitFor();
    const rowHeaders = async () => table.getByRole('rowheader').allTextContents();
    await expect
      .poll(rowHeaders)
      .toEqual(['Key rotated', 'Code sent', 'Key generated', 'Code sent', 'Key generated', 'Code sent']);
    const newest = table.getByRole('row').nth(1);
    expect(await newest.textContent()).toContain('Audited key');
    expect(await newest.textContent()).toMatch(/o\*\*\*@console\.example/);
    await expectAccessible(page, 'activity page');
    await screenshot(page, 'activity');

    await page.getByRole('combobox', { name: 'Event' }).selectOption({ label: 'Key generated' });
    await expect.poll(rowHeaders).toEqual(['Key generated', 'Key generated']);

    await page.getByRole('combobox', { name: 'Key' }).selectOption({ label: 'Audited key' });
    await expect.poll(rowHeaders).toEqual(['Key generated']);
    await page.getByRole('combobox', { name: 'Event' }).selectOption({ label: 'All events' });
    // The code for generating had no key yet, so only the rotation's code is the key's.
    await expect.poll(rowHeaders).toEqual(['Key rotated', 'Code sent', 'Key generated']);

    await page.getByRole('link', { name: 'API Keys' }).click();
    await page.getByRole('heading', { name: 'API Keys', level: 1 }).waitFor();
    expect(server.output()).not.toContain(String(rotated.json.token));
  });
});
