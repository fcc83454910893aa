import { useId, useRef, useState } from 'preact/hooks';
import { Dialog } from './dialog';

/**
 * "You generated an API key": the token, shown once. It lives only in the caller's state, which
 * drops it when this closes, so nothing of it stays in the DOM. Closing without copying asks first.
 */
export function TokenDialog(props: { readonly token: string; readonly onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const [status, setStatus] = useState('');
  const field = useRef<HTMLInputElement>(null);
  const fieldId = useId();

  const copy = async (): Promise<boolean> => {
    try {
      await navigator.clipboard.writeText(props.token);
      setCopied(true);
      setStatus('Token copied to the clipboard.');
      return true;
    } catch {
      field.current?.select();
      setStatus('Copying failed. The token is selected: copy it with your keyboard.');
      return false;
    }
  };

  const copyAndClose = async () => {
    if (await copy()) props.onClose();
  };

  const requestClose = () => {
    if (copied) props.onClose();
    else setConfirming(true);
  };

  if (confirming) {
    return (
      <Dialog
        title="Close without copying?"
        onDismiss={() => setConfirming(false)}
        description={<p>You will not be able to see this token again after you close.</p>}
      >
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={() => setConfirming(false)}>
            Go Back
          </button>
          <button type="button" class="danger" onClick={props.onClose}>
            Close Without Copying
          </button>
        </div>
      </Dialog>
    );
  }

  return (
    <Dialog
      title="You generated an API key"
      onDismiss={requestClose}
      description={
        <p>
          Copy this token and store it in a safe location. For security, it is shown only once: you cannot
          view it again after you close this pop-up.
        </p>
      }
    >
      <label for={fieldId}>API key token</label>
      <div class="token-row">
        <input
          id={fieldId}
          ref={field}
          class="token-field"
          type="text"
          readOnly
          value={props.token}
          spellcheck={false}
          onFocus={(event) => event.currentTarget.select()}
        />
        <button type="button" class="secondary" onClick={copy}>
          Copy
        </button>
      </div>
      <p role="status" class="muted">
        {status}
      </p>
      <div class="dialog-actions">
        <button type="button" class="primary" onClick={copyAndClose}>
          Copy Token & Close
        </button>
      </div>
    </Dialog>
  );
}
