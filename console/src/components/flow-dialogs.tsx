import type { ActionResult, ApiKey, KeyAction, ManagementApi } from '../api';
import { ConfirmDialog } from './confirm-dialog';
import { RotateDialog } from './rotate-dialog';
import { TokenDialog } from './token-dialog';
import { VerifyDialog } from './verify-dialog';

/** Where a sensitive action is: its confirm pop-up, the verify dialog, then the token dialog. */
export type Flow =
  | { readonly step: 'confirm'; readonly intent: KeyAction; readonly key: ApiKey }
  | { readonly step: 'verify'; readonly intent: KeyAction }
  | { readonly step: 'token'; readonly token: string };

/** The dialog for where a sensitive action is; the page decides what each step leads to. */
export function FlowDialogs(props: {
  readonly flow: Flow;
  readonly api: ManagementApi;
  readonly localMode: boolean;
  /** Moves the action on to its next step. */
  readonly onStep: (next: Flow) => void;
  /** The action is over (cancelled): focus goes back to what started it. */
  readonly onEnd: () => void;
  /** Back to the form the action came from (Edit's "Save changes?" cancelled). */
  readonly onBack: () => void;
  readonly onVerifyCancel: () => void;
  readonly onVerified: (intent: KeyAction, result: ActionResult) => void;
  readonly onTokenClosed: () => void;
}) {
  const { flow } = props;
  return (
    <>
      {flow.step === 'confirm' && flow.intent.action === 'rotate' && (
        <RotateDialog
          apiKey={flow.key}
          onCancel={props.onEnd}
          onConfirm={(gracePeriodSeconds) =>
            props.onStep({
              step: 'verify',
              intent: {
                action: 'rotate',
                keyId: flow.key.keyId,
                ...(gracePeriodSeconds === 0 ? {} : { request: { gracePeriodSeconds } }),
              },
            })
          }
        />
      )}
      {flow.step === 'confirm' && flow.intent.action === 'delete' && (
        <ConfirmDialog
          title={`Delete ${flow.key.name}?`}
          confirmLabel="Delete"
          danger
          onCancel={props.onEnd}
          onConfirm={() => props.onStep({ step: 'verify', intent: flow.intent })}
        >
          <p>Anyone who uses this key loses access to your data. A deleted key cannot be recovered.</p>
        </ConfirmDialog>
      )}
      {flow.step === 'confirm' && flow.intent.action === 'update' && (
        <ConfirmDialog
          title="Save changes?"
          confirmLabel="Yes, Save Changes"
          onCancel={props.onBack}
          onConfirm={() => props.onStep({ step: 'verify', intent: flow.intent })}
        >
          <p>
            The new name, description, permissions and limits apply to {flow.key.name} as soon as you verify.
          </p>
        </ConfirmDialog>
      )}
      {flow.step === 'verify' && (
        <VerifyDialog
          api={props.api}
          intent={flow.intent}
          localMode={props.localMode}
          onCancel={props.onVerifyCancel}
          onDone={(result) => props.onVerified(flow.intent, result)}
        />
      )}
      {flow.step === 'token' && <TokenDialog token={flow.token} onClose={props.onTokenClosed} />}
    </>
  );
}
