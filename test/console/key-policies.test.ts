import { describe, expect, it } from 'vitest';
import { signedInConsole } from './console-harness';
import { expectAccessible, screenshot, takeToken, verifyWithEmailedCode } from './page-flows';

/**
 * Key policies in the console, in Chromium against `npm start`: the generate form's expiry,
 * sites, read-only and IP fields, and the rotate pop-up's grace period, each proven by calling the
 * protected API with the token the page showed.
 */
const ui = signedInConsole({ extraSites: ['Outlet'] });

async function status(token: string, accountId: string, method: string, path: string, siteId?: string) {
  const response = await fetch(`${ui.server.url}${path}`, {
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

describe('API Keys page: key limits', () => {
  it('generates a read-only key for chosen sites, with an expiry and an IP list, and rotates it with a grace period', async () => {
    const { accountId, email, siteIds } = ui.account;
    const [shop = '', outlet = ''] = siteIds;

    await ui.page.getByRole('button', { name: 'Generate API Key' }).click();
    await ui.page.getByRole('textbox', { name: 'Name' }).fill('Catalog reader');
    await ui.page.getByRole('checkbox', { name: 'Stores', exact: true }).check();
    const access = ui.page.getByRole('combobox', { name: 'Stores access' });
    expect(await access.inputValue()).toBe('write');
    await access.selectOption({ label: 'Read only' });
    const expires = ui.page.getByRole('combobox', { name: 'Expires' });
    expect(await expires.inputValue()).toBe('never');
    await expires.selectOption({ label: 'In 30 days' });
    expect(
      await ui.page.getByRole('radio', { name: 'All sites, including sites added later' }).isChecked(),
    ).toBe(true);
    await ui.page.getByRole('radio', { name: 'Chosen sites' }).check();
    await ui.page.getByRole('checkbox', { name: `Outlet (${outlet})` }).check();
    // The test calls from this machine, over IPv4 or IPv6 loopback.
    await ui.page.getByRole('textbox', { name: 'Allowed IP addresses (optional)' }).fill('127.0.0.1\n::1');
    await expectAccessible(ui.page, 'generate form with limits');
    await screenshot(ui.page, 'generate-form-limits');
    await ui.page.getByRole('button', { name: 'Generate Key' }).click();
    await verifyWithEmailedCode(ui.page, email, 'Verify & Generate Key');
    const token = await takeToken(ui.page);

    expect(await status(token, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await status(token, accountId, 'POST', '/v1/stores/products', outlet)).toBe(403);
    expect(await status(token, accountId, 'GET', '/v1/stores/products', shop)).toBe(403);

    const row = ui.page.getByRole('row', { name: /Catalog reader/ });
    await row.waitFor();
    const in30Days = new Date(Date.now() + 30 * 24 * 3600 * 1000).toLocaleDateString('en-US', {
      month: 'short',
      day: 'numeric',
    });
    expect(await row.textContent()).toContain(in30Days);
    await screenshot(ui.page, 'key-list-limits');
    await row.getByRole('button', { name: 'Show permissions of Catalog reader' }).click();
    expect(await row.getByRole('list', { name: 'Permissions of Catalog reader' }).textContent()).toContain(
      'Stores (read only)',
    );

    // Rotate, keeping the old token for an hour: both work.
    await row.getByRole('button', { name: 'More Actions for Catalog reader' }).click();
    await ui.page.getByRole('menuitem', { name: 'Rotate' }).click();
    const rotate = ui.page.getByRole('dialog', { name: 'Rotate Catalog reader?' });
    expect(await rotate.getByRole('radio', { name: 'Immediately' }).isChecked()).toBe(true);
    await rotate.getByRole('radio', { name: 'After 1 hour' }).check();
    await expectAccessible(ui.page, 'rotate pop-up');
    await rotate.getByRole('button', { name: 'Rotate Key' }).click();
    await verifyWithEmailedCode(ui.page, email, 'Validate & Rotate Key');
    const rotated = await takeToken(ui.page);
    expect(rotated).not.toBe(token);
    expect(await status(token, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await status(rotated, accountId, 'GET', '/v1/stores/products', outlet)).toBe(200);
    expect(await ui.page.content()).not.toContain(rotated);
  }, 120_000);
});
