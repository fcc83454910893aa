import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { Account, ApiKey, Permission } from '../api';

/** Generate, Duplicate and Edit share this form: Key details, Permissions, then Limits. */
export type KeyFormMode = 'create' | 'duplicate' | 'edit';

/** `keep` leaves an existing key's expiry as it is (offered only when it has one). */
const EXPIRY_CHOICES = ['never', '7', '30', '90', 'date', 'keep'] as const;
export type ExpiryChoice = (typeof EXPIRY_CHOICES)[number];

export interface KeyFormValues {
  readonly name: string;
  readonly description: string;
  /** Permission ids, checked. */
  readonly permissions: readonly string[];
  /** Of those, the ones held read-only. */
  readonly readOnly: readonly string[];
  readonly expiry: ExpiryChoice;
  /** `YYYY-MM-DD` when `expiry` is `date`: the key expires at the start of that day, UTC. */
  readonly expiryDate: string;
  readonly allSites: boolean;
  readonly siteIds: readonly string[];
  /** One address or CIDR range per line. */
  readonly allowedIps: string;
}

/** The key's limits as the request states them; `expiresAt` left out keeps the current expiry. */
export interface KeyLimits {
  readonly expiresAt?: string | null;
  readonly siteIds: readonly string[] | null;
  readonly allowedIps: readonly string[];
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The grants the form's checkboxes mean, in catalog order: `stores` or `stores:read`. */
export function grantsOf(values: KeyFormValues, catalog: readonly Permission[]): string[] {
  return catalog
    .filter((p) => p.required || values.permissions.includes(p.id))
    .map((p) => (p.offersReadOnly && values.readOnly.includes(p.id) ? `${p.id}:read` : p.id));
}

export function limitsOf(values: KeyFormValues, now: Date): KeyLimits {
  const expiresAt =
    values.expiry === 'keep'
      ? undefined
      : values.expiry === 'never'
        ? null
        : values.expiry === 'date'
          ? new Date(`${values.expiryDate}T00:00:00Z`).toISOString()
          : new Date(now.getTime() + Number(values.expiry) * DAY_MS).toISOString();
  return {
    ...(expiresAt === undefined ? {} : { expiresAt }),
    siteIds: values.allSites ? null : values.siteIds,
    allowedIps: values.allowedIps
      .split(/[\s,]+/)
      .map((line) => line.trim())
      .filter((line) => line !== ''),
  };
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
  const defaults = {
    readOnly: [],
    expiry: 'never',
    expiryDate: '',
    allSites: true,
    siteIds: [],
    allowedIps: '',
  } as const;
  if (key === undefined) return { name: '', description: '', permissions: required, ...defaults };
  const ids = key.permissions.map((grant) => grant.replace(/:read$/, ''));
  return {
    ...defaults,
    name: mode === 'duplicate' ? `Copy of ${key.name}` : key.name,
    description: key.description,
    permissions: [...new Set([...required, ...ids])],
    readOnly: key.permissions.filter((grant) => grant.endsWith(':read')).map((grant) => grant.slice(0, -5)),
    expiry: key.expiresAt === null ? 'never' : 'keep',
    allSites: key.siteIds === null,
    siteIds: key.siteIds ?? [],
    allowedIps: key.allowedIps.join('\n'),
  };
}

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
  const ids = {
    name: useId(),
    description: useId(),
    nameError: useId(),
    expiry: useId(),
    expiryDate: useId(),
    ips: useId(),
    ipsHelp: useId(),
    limitError: useId(),
  };
  const today = new Date().toISOString().slice(0, 10);

  useEffect(() => heading.current?.focus(), []);

  const toggle = (permission: Permission, checked: boolean) => {
    if (permission.required) return;
    const rest = values.permissions.filter((id) => id !== permission.id);
    setValues({ ...values, permissions: checked ? [...rest, permission.id] : rest });
  };

  const toggleReadOnly = (permission: Permission, readOnly: boolean) => {
    const rest = values.readOnly.filter((id) => id !== permission.id);
    setValues({ ...values, readOnly: readOnly ? [...rest, permission.id] : rest });
  };

  const toggleSite = (siteId: string, checked: boolean) => {
    const rest = values.siteIds.filter((id) => id !== siteId);
    setValues({ ...values, siteIds: checked ? [...rest, siteId] : rest });
    setLimitError(undefined);
  };

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
      <fieldset>
        <legend>Limits</legend>
        <label for={ids.expiry}>Expires</label>
        <select
          id={ids.expiry}
          value={values.expiry}
          onChange={(event) => {
            const chosen = event.currentTarget.value;
            setValues({ ...values, expiry: EXPIRY_CHOICES.find((choice) => choice === chosen) ?? 'never' });
            setLimitError(undefined);
          }}
        >
          {props.currentExpiry !== undefined && props.currentExpiry !== null && (
            <option value="keep">{`Keep (${new Date(props.currentExpiry).toLocaleDateString()})`}</option>
          )}
          <option value="never">Never</option>
          <option value="7">In 7 days</option>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="date">On a date</option>
        </select>
        {values.expiry === 'date' && (
          <>
            <label for={ids.expiryDate}>Expiry date (UTC)</label>
            <input
              id={ids.expiryDate}
              type="date"
              min={today}
              value={values.expiryDate}
              onInput={(event) => {
                setValues({ ...values, expiryDate: event.currentTarget.value });
                setLimitError(undefined);
              }}
            />
          </>
        )}
        <fieldset class="site-choice">
          <legend>Sites</legend>
          <span>
            <input
              id={`${ids.expiry}-all-sites`}
              type="radio"
              name={`${ids.expiry}-sites`}
              checked={values.allSites}
              onChange={() => setValues({ ...values, allSites: true })}
            />
            <label for={`${ids.expiry}-all-sites`}>All sites, including sites added later</label>
          </span>
          <span>
            <input
              id={`${ids.expiry}-chosen-sites`}
              type="radio"
              name={`${ids.expiry}-sites`}
              checked={!values.allSites}
              onChange={() => setValues({ ...values, allSites: false })}
            />
            <label for={`${ids.expiry}-chosen-sites`}>Chosen sites</label>
          </span>
          {!values.allSites && (
            <ul class="site-list">
              {props.sites.map((site) => (
                <li key={site.siteId}>
                  <input
                    id={`site-${site.siteId}`}
                    type="checkbox"
                    checked={values.siteIds.includes(site.siteId)}
                    onChange={(event) => toggleSite(site.siteId, event.currentTarget.checked)}
                  />
                  <label for={`site-${site.siteId}`}>{`${site.name} (${site.siteId})`}</label>
                </li>
              ))}
            </ul>
          )}
        </fieldset>
        <label for={ids.ips}>Allowed IP addresses (optional)</label>
        <textarea
          id={ids.ips}
          rows={2}
          aria-describedby={ids.ipsHelp}
          value={values.allowedIps}
          onInput={(event) => setValues({ ...values, allowedIps: event.currentTarget.value })}
        />
        <p id={ids.ipsHelp} class="muted">
          One IPv4 or IPv6 address or CIDR range per line, at most 20. Leave empty to allow any address.
        </p>
        {limitError !== undefined && (
          <p id={ids.limitError} role="alert" class="error-text">
            {limitError}
          </p>
        )}
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
