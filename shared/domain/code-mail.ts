import type { Account, MemberRole } from './accounts';
import type { KeyLimitsRequest, UpdateApiKeyRequest } from './api-key-requests';
import type { ApiKeyRecord } from './api-keys';
import { PERMISSIONS, type PermissionGrant } from './permissions';
import type { MailMessage, VerifiedAction } from './ports';
import type { Intent } from './verification-intents';

/**
 * The verification mail says exactly what the code approves, so the person reading the mailbox can
 * tell a real request from an attack before sharing the code: the action, the key (name quoted, and
 * id), what the key will be able to do, who asked, and when the code dies.
 *
 * The facts are a list of labelled lines built from the approved change. A feature that adds to a
 * key (an expiry, IP lists, ...) adds its lines in `describeChange`; the layout stays here. Every
 * value a person typed is quoted with JSON escaping, so even a name stored before names were checked
 * for line breaks cannot add a line (such as a fake code line) to the mail.
 */
export interface ApprovedChange {
  readonly intent: Intent;
  /** The key the action names, as it was when the code was sent; absent for `create`. */
  readonly key?: ApiKeyRecord | undefined;
  readonly account: Account;
  readonly requestedBy: { readonly userId: string; readonly role: MemberRole };
}

export interface MailLine {
  readonly label: string;
  readonly value: string;
}

const ACTIONS: Record<VerifiedAction, { title: string; consequence: string }> = {
  create: { title: 'Generate a new API key', consequence: 'A new token will be issued for it.' },
  rotate: {
    title: 'Rotate an API key',
    consequence: 'The key gets a new token; its current token stops working at once.',
  },
  duplicate: {
    title: 'Duplicate an API key',
    consequence: 'A new key with its own token will be issued; the source key is not changed.',
  },
  update: { title: 'Edit an API key', consequence: 'The token keeps working with the new settings.' },
  delete: {
    title: 'Delete an API key',
    consequence: 'Its token stops working at once. This cannot be undone.',
  },
};

export function quoted(text: string): string {
  return JSON.stringify(text);
}

function keyLabel(key: ApiKeyRecord): string {
  return `${quoted(key.name)} (id ${key.keyId})`;
}

function permissionList(grants: readonly PermissionGrant[]): string {
  if (grants.length === 0) return 'none';
  return grants
    .map((grant) => {
      const readOnly = grant.endsWith(':read');
      const id = readOnly ? grant.slice(0, -':read'.length) : grant;
      const permission = PERMISSIONS.find((p) => p.id === id);
      const shown = readOnly ? `${id} (read only)` : id;
      if (permission === undefined) return shown;
      return `${shown} (${permission.name}, ${permission.scope === 'account' ? 'whole account' : 'per site'})`;
    })
    .join('; ');
}

/**
 * The limits a key will have. A new key shows every limit (none said is "never", "all", "any"); an
 * edit shows only the limits it changes.
 */
function limitLines(limits: KeyLimitsRequest, every: boolean): MailLine[] {
  const lines: MailLine[] = [];
  if (limits.expiresAt !== undefined || every) {
    lines.push({ label: 'Expires', value: limits.expiresAt ?? 'never' });
  }
  if (limits.siteIds !== undefined || every) {
    lines.push({
      label: 'Sites',
      value: limits.siteIds == null ? 'all sites, including sites added later' : limits.siteIds.join(', '),
    });
  }
  if (limits.allowedIps !== undefined || every) {
    const ips = limits.allowedIps ?? [];
    lines.push({ label: 'Allowed IP addresses', value: ips.length === 0 ? 'any' : ips.join(', ') });
  }
  return lines;
}

function scopeLine(account: Account): MailLine {
  const sites = account.sites.map((site) => `${quoted(site.name)} (${site.siteId})`).join(', ');
  return {
    label: 'Scope',
    value: `account ${account.accountId}, every site of it${sites === '' ? ' (none yet)' : `: ${sites}`}`,
  };
}

/** What a new key (generated or duplicated) will be. */
function newKeyLines(
  request: KeyLimitsRequest & {
    name: string;
    description: string;
    permissions: readonly PermissionGrant[];
  },
  account: Account,
): MailLine[] {
  return [
    { label: 'New key name', value: quoted(request.name) },
    { label: 'Description', value: request.description === '' ? '(none)' : quoted(request.description) },
    { label: 'Permissions', value: permissionList(request.permissions) },
    scopeLine(account),
    ...limitLines(request, true),
  ];
}

function editLines(key: ApiKeyRecord, patch: UpdateApiKeyRequest): MailLine[] {
  const lines: MailLine[] = [];
  if (patch.name !== undefined && patch.name !== key.name) {
    lines.push({ label: 'Name', value: `${quoted(key.name)} -> ${quoted(patch.name)}` });
  }
  if (patch.description !== undefined && patch.description !== key.description) {
    lines.push({ label: 'Description', value: `${quoted(key.description)} -> ${quoted(patch.description)}` });
  }
  if (patch.permissions !== undefined) {
    const after = patch.permissions;
    const added = after.filter((id) => !key.permissions.includes(id));
    const removed = key.permissions.filter((id) => !after.includes(id));
    lines.push(
      { label: 'Permissions added', value: permissionList(added) },
      { label: 'Permissions removed', value: permissionList(removed) },
      { label: 'Permissions after the edit', value: permissionList(after) },
    );
  }
  lines.push(...limitLines(patch, false));
  if (lines.length === 0)
    lines.push({ label: 'Changes', value: 'none (the edit repeats the current values)' });
  return lines;
}

/** The labelled facts of the change, in the order the mail shows them. */
export function describeChange(change: ApprovedChange): MailLine[] {
  const { intent, key, account } = change;
  const lines: MailLine[] = [{ label: 'Action', value: ACTIONS[intent.action].title }];
  if (key !== undefined) {
    lines.push({ label: intent.action === 'duplicate' ? 'Source key' : 'Key', value: keyLabel(key) });
  }
  switch (intent.action) {
    case 'create':
    case 'duplicate':
      lines.push(...newKeyLines(intent.request, account));
      break;
    case 'update':
      if (key !== undefined) lines.push(...editLines(key, intent.request));
      break;
    case 'rotate':
    case 'delete':
      if (key !== undefined) lines.push({ label: 'Permissions', value: permissionList(key.permissions) });
      break;
  }
  lines.push({
    label: 'Requested by',
    value: `member ${quoted(change.requestedBy.userId)} (${change.requestedBy.role})`,
  });
  return lines;
}

/** What the action does to tokens; a rotation with a grace period keeps the current one a while. */
function consequenceOf(intent: Intent): string {
  const seconds = intent.action === 'rotate' ? (intent.request.gracePeriodSeconds ?? 0) : 0;
  if (seconds === 0) return ACTIONS[intent.action].consequence;
  return `The key gets a new token; its current token keeps working for ${seconds} seconds beside the new one (never past the key's expiry), then stops.`;
}

/** The subject names the action only: never the code, never a typed name. */
export function composeCodeMail(
  change: ApprovedChange,
  opened: { readonly code: string; readonly expiresAt: Date },
): MailMessage {
  const { title } = ACTIONS[change.intent.action];
  const consequence = consequenceOf(change.intent);
  const facts = describeChange(change);
  const width = Math.max(...facts.map((line) => line.label.length)) + 2;
  const text = [
    `A member of your Latchkey account asked to do this. ${consequence}`,
    '',
    ...facts.map((line) => `${`${line.label}:`.padEnd(width)}${line.value}`),
    '',
    `Your verification code: ${opened.code}`,
    '',
    `It works once, for exactly the request above, and expires at ${opened.expiresAt.toISOString()}.`,
    '',
    "If this wasn't you: do not share the code or enter it anywhere; nothing changes without it.",
    'If the member named above did not ask for it, their sign-in may be in the wrong hands: have them',
    "change their password, and ask the account's owner to remove them from the account.",
  ].join('\n');
  return { to: change.account.email, subject: `Latchkey verification code: ${title}`, text };
}
