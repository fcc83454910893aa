import { useId, useState } from 'preact/hooks';
import type { ApiKey, Permission } from '../api';
import { ActionsMenu } from './actions-menu';

export type RowAction = 'rotate' | 'duplicate' | 'edit' | 'delete';

const ACTION_LABELS: readonly { action: RowAction; label: string }[] = [
  { action: 'rotate', label: 'Rotate' },
  { action: 'duplicate', label: 'Duplicate' },
  { action: 'edit', label: 'Edit' },
  { action: 'delete', label: 'Delete' },
];

export function formatDate(iso: string | null): string {
  if (iso === null) return 'Never';
  return new Date(iso).toLocaleString([], { dateStyle: 'medium', timeStyle: 'short' });
}

/** The keys table: name, description, permissions summary, created, last used, More Actions. */
export function KeyTable(props: {
  readonly keys: readonly ApiKey[];
  readonly catalog: readonly Permission[];
  readonly onAction: (action: RowAction, key: ApiKey, trigger: HTMLButtonElement | null) => void;
}) {
  return (
    <table class="key-table">
      <caption class="visually-hidden">API keys of this account</caption>
      <thead>
        <tr>
          <th scope="col">Name</th>
          <th scope="col">Description</th>
          <th scope="col">Permissions</th>
          <th scope="col">Created</th>
          <th scope="col">Last used</th>
          <th scope="col">
            <span class="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {props.keys.map((key) => (
          <KeyRow key={key.keyId} apiKey={key} catalog={props.catalog} onAction={props.onAction} />
        ))}
      </tbody>
    </table>
  );
}

function KeyRow(props: {
  readonly apiKey: ApiKey;
  readonly catalog: readonly Permission[];
  readonly onAction: (action: RowAction, key: ApiKey, trigger: HTMLButtonElement | null) => void;
}) {
  const { apiKey } = props;
  const [shown, setShown] = useState(false);
  const listId = useId();
  const names = apiKey.permissions.map((id) => props.catalog.find((p) => p.id === id)?.name ?? id);
  return (
    <tr>
      <th scope="row" data-label="Name">
        {apiKey.name}
      </th>
      <td data-label="Description">{apiKey.description === '' ? '—' : apiKey.description}</td>
      <td data-label="Permissions">
        <span>
          {names.length} {names.length === 1 ? 'permission' : 'permissions'}
        </span>{' '}
        <button
          type="button"
          class="link-button"
          aria-expanded={shown}
          aria-controls={listId}
          aria-label={`${shown ? 'Hide' : 'Show'} permissions of ${apiKey.name}`}
          onClick={() => setShown(!shown)}
        >
          {shown ? 'Hide permissions' : 'Show permissions'}
        </button>
        <ul id={listId} class="permission-names" hidden={!shown} aria-label={`Permissions of ${apiKey.name}`}>
          {names.map((name) => (
            <li key={name}>{name}</li>
          ))}
        </ul>
      </td>
      <td data-label="Created">{formatDate(apiKey.createdAt)}</td>
      <td data-label="Last used">{formatDate(apiKey.lastUsedAt)}</td>
      <td data-label="Actions">
        <ActionsMenu
          label={`More Actions for ${apiKey.name}`}
          items={ACTION_LABELS.map(({ action, label }) => ({
            label,
            onSelect: (trigger) => props.onAction(action, apiKey, trigger),
          }))}
        />
      </td>
    </tr>
  );
}
