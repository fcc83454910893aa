import type { ComponentChildren } from 'preact';
import { Dialog } from './dialog';

/** The "are you sure" pop-ups of the guide: Rotate Key, Delete, Yes, Save Changes. */
export function ConfirmDialog(props: {
  readonly title: string;
  readonly children: ComponentChildren;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly onConfirm: () => void;
  readonly onCancel: () => void;
}) {
  return (
    <Dialog title={props.title} onDismiss={props.onCancel} description={props.children}>
      <div class="dialog-actions">
        <button type="button" class="secondary" onClick={props.onCancel}>
          Cancel
        </button>
        <button type="button" class={props.danger ? 'danger' : 'primary'} onClick={props.onConfirm}>
          {props.confirmLabel}
        </button>
      </div>
    </Dialog>
  );
}
