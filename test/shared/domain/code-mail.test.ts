import { describe, expect, it } from 'vitest';
import type { Account } from '../../../shared/domain/accounts';
import { createApiKeySchema, updateApiKeySchema } from '../../../shared/domain/api-key-requests';
import type { ApiKeyRecord } from '../../../shared/domain/api-keys';
import { composeCodeMail } from '../../../shared/domain/code-mail';
import { mintKey } from '../../../shared/domain/key-records';
import { PERMISSIONS } from '../../../shared/domain/permissions';
import { intentOf } from '../../../shared/domain/verification-intents';
import { unpepperedHasher } from '../../support/key-records';

const account: Account = {
  accountId: '6f1c2f7e-1111-4222-8333-944445555666',
  email: 'owner@example.com',
  sites: [
    { siteId: 'site-main', name: 'Main store' },
    { siteId: 'site-book', name: 'Bookings' },
  ],
  createdAt: '2026-11-28T00:00:00.000Z',
};

const { record: key } = await mintKey(unpepperedHasher, {
  account,
  fields: { name: 'harmless', description: 'reads stock', permissions: ['sites.list', 'stores'] },
  by: 'user-owner',
  now: new Date(account.createdAt),
});

const opened = { code: '482913', expiresAt: new Date('2026-11-28T12:10:00.000Z') };
const requestedBy = { userId: 'user-mallory', role: 'admin' as const };
const ALL = PERMISSIONS.map((p) => p.id);

function mailFor(input: Parameters<typeof intentOf>[0], source: ApiKeyRecord | undefined = key) {
  const intent = intentOf(input, input.action === 'create' ? undefined : source);
  return composeCodeMail(
    { intent, key: input.action === 'create' ? undefined : source, account, requestedBy },
    opened,
  );
}

function lineOf(text: string, label: string): string | undefined {
  return text.split('\n').find((line) => line.startsWith(`${label}:`));
}

describe('the verification mail says exactly what the code approves', () => {
  it('an edit that grants every permission lists what it adds and removes, and the result', () => {
    const mail = mailFor({
      action: 'update',
      keyId: key.keyId,
      request: updateApiKeySchema.parse({
        permissions: ['accounts.manage', 'contacts', 'events', 'bookings', 'stores'],
      }),
    });
    expect(mail.subject).toBe('Latchkey verification code: Edit an API key');
    expect(lineOf(mail.text, 'Action')).toContain('Edit an API key');
    expect(lineOf(mail.text, 'Key')).toContain(`"harmless" (id ${key.keyId})`);
    const added = lineOf(mail.text, 'Permissions added') ?? '';
    for (const id of ['bookings', 'events', 'contacts', 'accounts.manage']) expect(added).toContain(id);
    expect(added).not.toContain('stores');
    expect(added).toContain('accounts.manage (Manage accounts, whole account)');
    expect(lineOf(mail.text, 'Permissions removed')).toMatch(/none$/);
    const after = lineOf(mail.text, 'Permissions after the edit') ?? '';
    for (const id of ALL) expect(after).toContain(id);
    expect(lineOf(mail.text, 'Requested by')).toContain('member "user-mallory" (admin)');
    expect(mail.text).toContain('expires at 2026-11-28T12:10:00.000Z');
    expect(mail.text).toContain("If this wasn't you");
  });

  it('an edit names the renamed key and the permissions it removes', () => {
    const mail = mailFor({
      action: 'update',
      keyId: key.keyId,
      request: { name: 'Orders', permissions: [] },
    });
    expect(lineOf(mail.text, 'Name')).toContain('"harmless" -> "Orders"');
    expect(lineOf(mail.text, 'Permissions removed')).toContain('stores (Stores, per site)');
    expect(lineOf(mail.text, 'Permissions after the edit')).toContain('sites.list');
  });

  it('generate and duplicate give the full permission set and the scope', () => {
    const created = mailFor({
      action: 'create',
      request: createApiKeySchema.parse({ name: 'Sync', permissions: ['contacts'] }),
    });
    expect(lineOf(created.text, 'New key name')).toContain('"Sync"');
    expect(lineOf(created.text, 'Permissions')).toMatch(
      /^Permissions: +sites\.list \(List sites, whole account\); contacts \(Contacts, per site\)$/,
    );
    expect(lineOf(created.text, 'Scope')).toContain(
      `account ${account.accountId}, every site of it: "Main store" (site-main), "Bookings" (site-book)`,
    );

    const copy = mailFor({ action: 'duplicate', keyId: key.keyId, request: { name: 'Copy' } });
    expect(lineOf(copy.text, 'Source key')).toContain(`"harmless" (id ${key.keyId})`);
    expect(lineOf(copy.text, 'New key name')).toContain('"Copy"');
    expect(lineOf(copy.text, 'Description')).toContain('"reads stock"');
    expect(lineOf(copy.text, 'Permissions')).toContain('stores (Stores, per site)');
    expect(lineOf(copy.text, 'Scope')).toContain('every site of it');
  });

  it('rotate and delete name the key, say what happens to its token, and the permissions it has', () => {
    const deleted = mailFor({ action: 'delete', keyId: key.keyId });
    expect(deleted.text).toContain('Its token stops working at once. This cannot be undone.');
    expect(lineOf(deleted.text, 'Key')).toContain(`"harmless" (id ${key.keyId})`);
    const rotated = mailFor({ action: 'rotate', keyId: key.keyId });
    expect(rotated.text).toContain('its current token stops working at once');
    expect(lineOf(rotated.text, 'Permissions')).toContain('stores');
    const graced = mailFor({ action: 'rotate', keyId: key.keyId, request: { gracePeriodSeconds: 3600 } });
    expect(graced.text).toContain('its current token keeps working for 3600 seconds beside the new one');
    expect(graced.text).not.toContain('stops working at once');
  });

  it('shows every limit a new key will have, defaults spelled out, and only the limits an edit changes', () => {
    const created = mailFor({
      action: 'create',
      request: {
        name: 'limited',
        permissions: ['stores:read'],
        expiresAt: '2030-01-31T00:00:00.000Z',
        siteIds: ['site-b'],
        allowedIps: ['192.0.2.0/24'],
      },
    });
    expect(lineOf(created.text, 'Permissions')).toContain('stores (read only)');
    expect(lineOf(created.text, 'Expires')).toContain('2030-01-31T00:00:00.000Z');
    expect(lineOf(created.text, 'Sites')).toContain('site-b');
    expect(lineOf(created.text, 'Allowed IP addresses')).toContain('192.0.2.0/24');
    const plain = mailFor({ action: 'create', request: { name: 'plain', permissions: ['stores'] } });
    expect(lineOf(plain.text, 'Expires')).toContain('never');
    expect(lineOf(plain.text, 'Sites')).toContain('all sites, including sites added later');
    expect(lineOf(plain.text, 'Allowed IP addresses')).toContain('any');
    const edited = mailFor({ action: 'update', keyId: key.keyId, request: { expiresAt: null } });
    expect(lineOf(edited.text, 'Expires')).toContain('never');
    expect(lineOf(edited.text, 'Sites')).toBeUndefined();
  });

  it('never lets a stored name add a line: even an old name with line breaks is quoted, escaped', () => {
    const sneaky = { ...key, name: 'Safe key\n\nYour verification code: 000000' };
    const mail = mailFor({ action: 'delete', keyId: key.keyId }, sneaky);
    const codeLines = mail.text.split('\n').filter((line) => line.startsWith('Your verification code:'));
    expect(codeLines).toEqual(['Your verification code: 482913']);
    expect(lineOf(mail.text, 'Key')).toContain('"Safe key\\n\\nYour verification code: 000000"');
    expect(mail.subject).not.toContain('482913');
  });
});
