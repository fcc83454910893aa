import type { Permission } from '../api';
import type { KeyFormValues } from '../key-form-values';

/** The form's permission checkboxes, each with a read-only choice where the permission offers one. */
export function PermissionFieldset(props: {
  readonly catalog: readonly Permission[];
  readonly values: Pick<KeyFormValues, 'permissions' | 'readOnly'>;
  readonly onChange: (permissions: readonly string[], readOnly: readonly string[]) => void;
}) {
  const { values } = props;
  const toggle = (permission: Permission, checked: boolean) => {
    if (permission.required) return;
    const rest = values.permissions.filter((id) => id !== permission.id);
    props.onChange(checked ? [...rest, permission.id] : rest, values.readOnly);
  };
  const toggleReadOnly = (permission: Permission, readOnly: boolean) => {
    const rest = values.readOnly.filter((id) => id !== permission.id);
    props.onChange(values.permissions, readOnly ? [...rest, permission.id] : rest);
  };
  return (
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
              {permission.offersReadOnly && values.permissions.includes(permission.id) && (
                <span class="read-only-toggle">
                  <label for={`${id}-access`} class="visually-hidden">{`${permission.name} access`}</label>
                  <select
                    id={`${id}-access`}
                    value={values.readOnly.includes(permission.id) ? 'read' : 'write'}
                    onChange={(event) => toggleReadOnly(permission, event.currentTarget.value === 'read')}
                  >
                    <option value="write">Read and write</option>
                    <option value="read">Read only</option>
                  </select>
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
