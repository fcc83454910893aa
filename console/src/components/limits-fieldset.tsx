import { useId } from 'preact/hooks';
import type { Account } from '../api';
import { EXPIRY_CHOICES, type KeyFormValues } from '../key-form-values';

type LimitValues = Pick<KeyFormValues, 'expiry' | 'expiryDate' | 'allSites' | 'siteIds' | 'allowedIps'>;

/** The form's limits: expiry, sites and allowed addresses, with the one message about them. */
export function LimitsFieldset(props: {
  readonly sites: Account['sites'];
  /** The key's current expiry (edit and duplicate), offered as "Keep". */
  readonly currentExpiry?: string | null | undefined;
  readonly values: LimitValues;
  /** `YYYY-MM-DD`, UTC: the earliest date the picker offers. */
  readonly today: string;
  readonly error: string | undefined;
  /** A changed limit; any change clears the message. */
  readonly onChange: (limits: Partial<LimitValues>) => void;
}) {
  const { values } = props;
  const ids = { expiry: useId(), expiryDate: useId(), ips: useId(), ipsHelp: useId(), limitError: useId() };
  const toggleSite = (siteId: string, checked: boolean) => {
    const rest = values.siteIds.filter((id) => id !== siteId);
    props.onChange({ siteIds: checked ? [...rest, siteId] : rest });
  };
  return (
    <fieldset>
      <legend>Limits</legend>
      <label for={ids.expiry}>Expires</label>
      <select
        id={ids.expiry}
        value={values.expiry}
        onChange={(event) => {
          const chosen = event.currentTarget.value;
          props.onChange({ expiry: EXPIRY_CHOICES.find((choice) => choice === chosen) ?? 'never' });
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
            min={props.today}
            value={values.expiryDate}
            onInput={(event) => {
              props.onChange({ expiryDate: event.currentTarget.value });
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
            onChange={() => props.onChange({ allSites: true })}
          />
          <label for={`${ids.expiry}-all-sites`}>All sites, including sites added later</label>
        </span>
        <span>
          <input
            id={`${ids.expiry}-chosen-sites`}
            type="radio"
            name={`${ids.expiry}-sites`}
            checked={!values.allSites}
            onChange={() => props.onChange({ allSites: false })}
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
        onInput={(event) => props.onChange({ allowedIps: event.currentTarget.value })}
      />
      <p id={ids.ipsHelp} class="muted">
        One IPv4 or IPv6 address or CIDR range per line, at most 20. Leave empty to allow any address.
      </p>
      {props.error !== undefined && (
        <p id={ids.limitError} role="alert" class="error-text">
          {props.error}
        </p>
      )}
    </fieldset>
  );
}
