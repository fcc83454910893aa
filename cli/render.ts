import type { ApiKey, Permission } from '../client';

/** Human output: aligned tables for lists, label/value blocks for one thing. No colours, no secrets. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function fields(entries: readonly (readonly [string, string])[]): string {
  const width = Math.max(...entries.map(([label]) => label.length));
  return entries.map(([label, value]) => `${`${label}:`.padEnd(width + 2)}${value}`).join('\n');
}

export function keyTable(keys: readonly ApiKey[]): string {
  if (keys.length === 0) return 'No API keys yet. Create one with: latchkey keys create --name <name>';
  return table(
    ['ID', 'NAME', 'PERMISSIONS', 'CREATED', 'LAST USED'],
    keys.map((key) => [
      key.keyId,
      key.name,
      key.permissions.join(','),
      shortTime(key.createdAt),
      key.lastUsedAt === null ? 'never' : shortTime(key.lastUsedAt),
    ]),
  );
}

export function keyFields(key: ApiKey, version?: string): string {
  return fields([
    ['ID', key.keyId],
    ['Name', key.name],
    ['Description', key.description === '' ? '-' : key.description],
    ['Permissions', key.permissions.join(', ')],
    ['Created', key.createdAt],
    ['Updated', key.updatedAt],
    ['Last used', key.lastUsedAt ?? 'never'],
    ...(version === undefined ? [] : ([['Version', version]] as const)),
  ]);
}

export function permissionTable(permissions: readonly Permission[]): string {
  return table(
    ['ID', 'SCOPE', 'NAME', 'DESCRIPTION'],
    permissions.map((p) => [p.id + (p.required ? ' (always)' : ''), p.scope, p.name, p.description]),
  );
}

function shortTime(iso: string): string {
  return iso.replace('T', ' ').replace(/:\d{2}\.\d{3}Z$/, 'Z');
}
