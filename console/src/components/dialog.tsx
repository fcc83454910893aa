import type { ComponentChildren } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';

/**
 * A modal on the native `<dialog>`: `showModal()` makes the rest of the page inert (focus stays
 * inside) and Escape fires `cancel`. Focus goes back to whatever opened it when it closes.
 */
export interface DialogProps {
  readonly title: string;
  /** Escape, or the close button. Leave undefined for a dialog that must be answered. */
  readonly onDismiss?: (() => void) | undefined;
  readonly children: ComponentChildren;
  /** Shown under the title; also the dialog's accessible description. */
  readonly description?: ComponentChildren;
}

export function Dialog({ title, onDismiss, children, description }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  const dismiss = useRef(onDismiss);
  dismiss.current = onDismiss;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    dialog.showModal();
    const onCancel = (event: Event) => {
      // The browser would close the dialog itself; the owner decides instead (it may ask first).
      event.preventDefault();
      dismiss.current?.();
    };
    dialog.addEventListener('cancel', onCancel);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      class="dialog"
      aria-labelledby={titleId}
      aria-describedby={description === undefined ? undefined : descriptionId}
    >
      <div class="dialog-head">
        <h2 id={titleId}>{title}</h2>
        {onDismiss !== undefined && (
          <button type="button" class="icon-button" aria-label="Close" onClick={() => onDismiss()}>
            ×
          </button>
        )}
      </div>
      {description !== undefined && (
        <div id={descriptionId} class="dialog-description">
          {description}
        </div>
      )}
      {children}
    </dialog>
  );
}
