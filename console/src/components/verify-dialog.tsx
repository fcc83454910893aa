import { useEffect, useRef, useState } from 'preact/hooks';
import type { ActionResult, KeyAction, ManagementApi, SentCode } from '../api';
import { describeFailure } from '../messages';
import { Dialog } from './dialog';
import { InboxPanel } from './inbox-panel';

/** The guide's label for each action's confirm button. */
export const VERIFY_LABELS: Record<KeyAction['action'], string> = {
  create: 'Verify & Generate Key',
  duplicate: 'Verify & Generate Key',
  rotate: 'Validate & Rotate Key',
  update: 'Verify & Save Changes',
  delete: 'Verify & Delete Key',
};

/** How long "Resend" waits, so a double click does not spend two of the account's codes. */
export const RESEND_AFTER_SECONDS = 30;

/**
 * "Verify your account": Send Code, then the 6-digit code and the action's own confirm button.
 * The code stays in this component's state and is gone when the dialog closes.
 */
export function VerifyDialog(props: {
  readonly api: ManagementApi;
  readonly intent: KeyAction;
  readonly localMode: boolean;
  readonly onDone: (result: ActionResult) => void;
  readonly onCancel: () => void;
}) {
  const [sent, setSent] = useState<SentCode | undefined>(undefined);
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [resendIn, setResendIn] = useState(0);
  const codeInput = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (resendIn <= 0) return;
    const timer = setTimeout(() => setResendIn(resendIn - 1), 1000);
    return () => clearTimeout(timer);
  }, [resendIn]);

  const sendCode = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await props.api.sendCode(props.intent);
      setSent(result);
      setCode('');
      setResendIn(RESEND_AFTER_SECONDS);
      queueMicrotask(() => codeInput.current?.focus());
    } catch (failure) {
      setError(describeFailure(failure));
    } finally {
      setBusy(false);
    }
  };

  const verify = async (event: Event) => {
    event.preventDefault();
    if (sent === undefined) return;
    if (!/^[0-9]{6}$/.test(code)) {
      setError('Enter the 6-digit code from the email.');
      codeInput.current?.focus();
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const result = await props.api.perform(props.intent, { verificationId: sent.verificationId, code });
      setCode('');
      props.onDone(result);
    } catch (failure) {
      setError(describeFailure(failure));
      setBusy(false);
      codeInput.current?.focus();
    }
  };

  const expires =
    sent === undefined
      ? ''
      : new Date(sent.expiresAt).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

  return (
    <Dialog
      title="Verify your account"
      onDismiss={props.onCancel}
      description={
        sent === undefined ? (
          <p>To continue, send a 6-digit verification code to the email address linked to your account.</p>
        ) : (
          <p>
            We sent a 6-digit code to <strong>{sent.sentTo}</strong>. It expires at {expires}.
          </p>
        )
      }
    >
      <div role="alert" class="error-text">
        {error}
      </div>
      {sent === undefined ? (
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="button" class="primary" disabled={busy} onClick={sendCode}>
            Send Code
          </button>
        </div>
      ) : (
        <form onSubmit={verify} noValidate>
          <label for="verification-code">Verification code</label>
          <input
            id="verification-code"
            ref={codeInput}
            class="code-input"
            type="text"
            inputMode="numeric"
            autocomplete="one-time-code"
            pattern="[0-9]{6}"
            value={code}
            aria-invalid={error === undefined ? undefined : true}
            onInput={(event) => setCode(event.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
          />
          <div class="resend">
            <button type="button" class="link-button" disabled={busy || resendIn > 0} onClick={sendCode}>
              Resend
            </button>
            {resendIn > 0 && <span class="muted">You can resend in {resendIn}s</span>}
          </div>
          <div class="dialog-actions">
            <button type="button" class="secondary" onClick={props.onCancel}>
              Cancel
            </button>
            <button type="submit" class="primary" disabled={busy}>
              {VERIFY_LABELS[props.intent.action]}
            </button>
          </div>
        </form>
      )}
      {props.localMode && sent !== undefined && <InboxPanel compact />}
    </Dialog>
  );
}
