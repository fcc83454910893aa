import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Account, Permission } from '../api';
import type { KeyFormMode, KeyFormValues } from '../key-form-values';
import { LimitsFieldset } from './limits-fieldset';
import { PermissionFieldset } from './permission-fieldset';

const TITLES: Record<KeyFormMode, string> = {
  create: 'Generate API Key',
  duplicate: 'Duplicate API Key',
  edit: 'Edit API Key',
};

/** Generate, Duplicate and Edit share this form: Key details, Permissions, then Limits. */
export function KeyForm(props: {
  readonly mode: KeyFormMode;
  readonly catalog: readonly Permission[];
  readonly sites: Account['sites'];
  /** The key's current expiry (edit and duplicate), offered as "Keep". */
  readonly currentExpiry?: string | null | undefined;
  readonly initial: KeyFormValues;
  readonly onSubmit: (values: KeyFormValues) => void;
  readonly onCancel: () => void;
}) {
  const [values, setValues] = useState(props.initial);
  const [nameError, setNameError] = useState<string | undefined>(undefined);
  const [limitError, setLimitError] = useState<string | undefined>(undefined);
  const heading = useRef<HTMLHeadingElement>(null);
  const nameInput = useRef<HTMLInputElement>(null);
  const ids = { name: useId(), description: useId(), nameError: useId() };
  const today = new Date().toISOString().slice(0, 10);

  useEffect(() => heading.current?.focus(), []);

  const submit = (event: Event) => {
    event.preventDefault();
    const name = values.name.trim();
    if (name === '') {
      setNameError('Enter a name for the API key.');
      nameInput.current?.focus();
      return;
    }
    if (values.expiry === 'date' && (values.expiryDate === '' || values.expiryDate <= today)) {
      setLimitError('Choose an expiry date after today.');
      return;
    }
    if (!values.allSites && values.siteIds.length === 0) {
      setLimitError('Choose at least one site, or All sites.');
      return;
    }
    props.onSubmit({ ...values, name, description: values.description.trim() });
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
      <PermissionFieldset
        catalog={props.catalog}
        values={values}
        onChange={(permissions, readOnly) => setValues({ ...values, permissions, readOnly })}
      />
      <LimitsFieldset
        sites={props.sites}
        currentExpiry={props.currentExpiry}
        values={values}
        today={today}
        error={limitError}
        onChange={(limits) => {
          setValues({ ...values, ...limits });
          setLimitError(undefined);
        }}
      />
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
