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

const FOCUSABLE =
  'button:not([disabled]), input:not([disabled]), textarea:not([disabled]), select:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

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
    // A modal dialog makes the page inert, but Tab past its last control would leave for the browser's
    // own UI: wrap around instead, so keyboard focus stays in the dialog until it closes.
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const controls = [...dialog.querySelectorAll<HTMLElement>(FOCUSABLE)].filter((e) => !e.hidden);
      const first = controls[0];
      const last = controls[controls.length - 1];
      if (first === undefined || last === undefined) return;
      const active = document.activeElement;
      if (event.shiftKey && (active === first || !dialog.contains(active))) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && (active === last || !dialog.contains(active))) {
        event.preventDefault();
        first.focus();
      }
    };
    dialog.addEventListener('cancel', onCancel);
    dialog.addEventListener('keydown', onKeyDown);
    return () => {
      dialog.removeEventListener('cancel', onCancel);
      dialog.removeEventListener('keydown', onKeyDown);
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
