import { useState } from 'preact/hooks';
import type { ApiKey } from '../api';
import { ConfirmDialog } from './confirm-dialog';

/** The rotate pop-up's choices: the guide's "immediately", or a grace period for the old token. */
const WHEN = [
  { seconds: 0, label: 'Immediately' },
  { seconds: 3600, label: 'After 1 hour' },
  { seconds: 86_400, label: 'After 24 hours' },
  { seconds: 604_800, label: 'After 7 days' },
] as const;

export function RotateDialog(props: {
  readonly apiKey: ApiKey;
  readonly onConfirm: (gracePeriodSeconds: number) => void;
  readonly onCancel: () => void;
}) {
  const [seconds, setSeconds] = useState(0);
  return (
    <ConfirmDialog
      title={`Rotate ${props.apiKey.name}?`}
      confirmLabel="Rotate Key"
      danger
      onCancel={props.onCancel}
      onConfirm={() => props.onConfirm(seconds)}
    >
      <p>
        Rotating creates a new token for this key, and the old token cannot be recovered. Immediately: anyone
        who uses the current token loses access immediately. With a grace period both tokens work until it
        ends, so you can switch your apps over; it never outlasts the key's expiry.
      </p>
      <fieldset class="rotate-when">
        <legend>The current token stops working</legend>
        {WHEN.map((choice) => (
          <span key={choice.seconds}>
            <input
              id={`rotate-${choice.seconds}`}
              type="radio"
              name="rotate-when"
              checked={seconds === choice.seconds}
              onChange={() => setSeconds(choice.seconds)}
            />
            <label for={`rotate-${choice.seconds}`}>{choice.label}</label>
          </span>
        ))}
      </fieldset>
    </ConfirmDialog>
  );
}
