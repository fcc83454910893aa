import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { ApiKey, Permission } from '../api';

/** Generate, Duplicate and Edit share this form: Key details, then Permissions. */
export type KeyFormMode = 'create' | 'duplicate' | 'edit';

export interface KeyFormValues {
  readonly name: string;
  readonly description: string;
  readonly permissions: readonly string[];
}

const TITLES: Record<KeyFormMode, string> = {
  create: 'Generate API Key',
  duplicate: 'Duplicate API Key',
  edit: 'Edit API Key',
};

export function initialValues(
  mode: KeyFormMode,
  catalog: readonly Permission[],
  key?: ApiKey,
): KeyFormValues {
  const required = catalog.filter((p) => p.required).map((p) => p.id);
  if (key === undefined) return { name: '', description: '', permissions: required };
  return {
    name: mode === 'duplicate' ? `Copy of ${key.name}` : key.name,
    description: key.description,
    permissions: [...new Set([...required, ...key.permissions])],
  };
}

export function KeyForm(props: {
  readonly mode: KeyFormMode;
  readonly catalog: readonly Permission[];
  readonly initial: KeyFormValues;
  readonly onSubmit: (values: KeyFormValues) => void;
  readonly onCancel: () => void;
}) {
  const [values, setValues] = useState(props.initial);
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const ids = { name: useId(), description: useId(), nameError: useId() };

  useEffect(() => heading.current?.focus(), []);

  const toggle = (permission: Permission, checked: boolean) => {
    if (permission.required) return;
    const rest = values.permissions.filter((id) => id !== permission.id);
    setValues({ ...values, permissions: checked ? [...rest, permission.id] : rest });
  };

  const submit = (event: Event) => {
    event.preventDefault();
    const name = values.name.trim();
    if (name === '') {
      setNameError('Enter a name for the API key.');
      nameInput.current?.focus();
      return;
    }
    // Keep catalog order, so the request reads the way the checkboxes do.
    const chosen = props.catalog
      .filter((p) => p.required || values.permissions.includes(p.id))
      .map((p) => p.id);
    props.onSubmit({ name, description: values.description.trim(), permissions: chosen });
  };

  return (
    <form class="key-form" onSubmit={submit} noValidate>
      <h1 ref={heading} tabIndex={-1}>
        {TITLES[props.mode]}
      </h1>
      <fieldset>
        <legend>Key details</legend>
        <label for={ids.name}>Name</label>
        <input
          id={ids.name}
          ref={nameInput}
          type="text"
          maxLength={100}
          required
          value={values.name}
          aria-invalid={nameError === undefined ? undefined : true}
          aria-describedby={nameError === undefined ? undefined : ids.nameError}
          onInput={(event) => {
            setValues({ ...values, name: event.currentTarget.value });
            setNameError(undefined);
          }}
        />
        {nameError !== undefined && (
          <p id={ids.nameError} role="alert" class="error-text">
            {nameError}
          </p>
        )}
        <label for={ids.description}>Description (optional)</label>
        <textarea
          id={ids.description}
          maxLength={500}
          rows={2}
          value={values.description}
          onInput={(event) => setValues({ ...values, description: event.currentTarget.value })}
        />
      </fieldset>
      <fieldset>
        <legend>Permissions</legend>
        <p class="muted">For security, only add the permissions that you need.</p>
        <ul class="permission-list">
          {props.catalog.map((permission) => {
            const id = `permission-${permission.id}`;
            return (
              <li key={permission.id}>
                <input
                  id={id}
                  type="checkbox"
                  checked={permission.required || values.permissions.includes(permission.id)}
                  disabled={permission.required}
                  aria-describedby={`${id}-description`}
                  onChange={(event) => toggle(permission, event.currentTarget.checked)}
                />
                <label for={id}>{permission.name}</label>
                <p id={`${id}-description`} class="muted permission-description">
                  {permission.description}
                  {permission.required && ' Always included: it cannot be deselected.'}
                </p>
              </li>
            );
          })}
        </ul>
      </fieldset>
      <div class="form-actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="submit" class="primary">
          {props.mode === 'edit' ? 'Save & Close' : 'Generate Key'}
        </button>
      </div>
    </form>
  );
}
