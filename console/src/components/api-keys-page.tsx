import { useEffect, useRef, useState } from 'preact/hooks';
import type { Account, ActionResult, ApiKey, KeyAction, ManagementApi, Permission } from '../api';
import { initialValues, type KeyFormMode, type KeyFormValues, keyRequestOf } from '../key-form-values';
import { describeFailure } from '../messages';
import { AccountId } from './account-id';
import { type Flow, FlowDialogs } from './flow-dialogs';
import { KeyForm } from './key-form';
import { KeyTable, type RowAction } from './key-table';

/** What the main area shows: the list, or the generate / duplicate / edit form. */
type View =
  | { readonly kind: 'list' }
  | { readonly kind: 'form'; readonly mode: KeyFormMode; readonly key?: ApiKey | undefined };

interface Loaded {
  readonly account: Account;
  readonly catalog: readonly Permission[];
  readonly keys: readonly ApiKey[];
  readonly nextCursor?: string | undefined;
}

export function ApiKeysPage(props: { readonly api: ManagementApi; readonly localMode: boolean }) {
  const { api } = props;
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [loadError, setLoadError] = useState<string | undefined>(undefined);
  const [view, setView] = useState<View>({ kind: 'list' });
  const [flow, setFlow] = useState<Flow | undefined>(undefined);
  const [announcement, setAnnouncement] = useState('');
  const [loadingMore, setLoadingMore] = useState(false);
  // Where focus goes when a flow ends: the control that started it, or the page heading.
  const returnTo = useRef<HTMLElement | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);

  const reload = async () => {
    try {
      const [account, catalog, page] = await Promise.all([api.account(), api.permissions(), api.listKeys()]);
      setLoaded({ account, catalog, keys: page.apiKeys, nextCursor: page.nextCursor });
      setLoadError(undefined);
    } catch (failure) {
      setLoadError(describeFailure(failure));
    }
  };

  useEffect(() => {
    void reload();
  }, [api]);

  const loadMore = async () => {
    if (loaded?.nextCursor === undefined) return;
    setLoadingMore(true);
    try {
      const page = await api.listKeys(loaded.nextCursor);
      setLoaded({ ...loaded, keys: [...loaded.keys, ...page.apiKeys], nextCursor: page.nextCursor });
    } catch (failure) {
      setAnnouncement(describeFailure(failure));
    } finally {
      setLoadingMore(false);
    }
  };

  const restoreFocus = () => {
    const target = returnTo.current;
    returnTo.current = null;
    queueMicrotask(() => (target?.isConnected ? target : heading.current)?.focus());
  };

  const endFlow = () => {
    setFlow(undefined);
    restoreFocus();
  };

  const onRowAction = (action: RowAction, key: ApiKey, trigger: HTMLButtonElement | null) => {
    returnTo.current = trigger;
    if (action === 'rotate')
      setFlow({ step: 'confirm', intent: { action: 'rotate', keyId: key.keyId }, key });
    else if (action === 'delete')
      setFlow({ step: 'confirm', intent: { action: 'delete', keyId: key.keyId }, key });
    else setView({ kind: 'form', mode: action === 'edit' ? 'edit' : 'duplicate', key });
  };

  const onFormSubmit = (mode: KeyFormMode, key: ApiKey | undefined, values: KeyFormValues) => {
    if (loaded === undefined) return;
    const request = keyRequestOf(values, loaded.catalog, new Date());
    if (mode === 'create') setFlow({ step: 'verify', intent: { action: 'create', request } });
    else if (mode === 'duplicate' && key !== undefined) {
      setFlow({ step: 'verify', intent: { action: 'duplicate', keyId: key.keyId, request } });
    } else if (mode === 'edit' && key !== undefined) {
      setFlow({ step: 'confirm', intent: { action: 'update', keyId: key.keyId, request }, key });
    }
  };

  const onVerified = (intent: KeyAction, result: ActionResult) => {
    setView({ kind: 'list' });
    void reload();
    if (result.kind === 'token') {
      setFlow({ step: 'token', token: result.token });
      return;
    }
    setAnnouncement(
      intent.action === 'delete'
        ? 'The API key was deleted.'
        : `Changes to ${result.kind === 'key' ? result.apiKey.name : 'the key'} were saved.`,
    );
    setFlow(undefined);
    restoreFocus();
  };

  if (loadError !== undefined && loaded === undefined) {
    return (
      <div class="page">
        <h1>API Keys</h1>
        <p role="alert" class="error-text">
          {loadError}
        </p>
        <button type="button" class="secondary" onClick={() => void reload()}>
          Try Again
        </button>
      </div>
    );
  }
  if (loaded === undefined) {
    return (
      <div class="page">
        <h1>API Keys</h1>
        <p role="status">Loading your API keys…</p>
      </div>
    );
  }

  return (
    <div class="page">
      {view.kind === 'form' ? (
        <KeyForm
          key={`${view.mode}-${view.key?.keyId ?? 'new'}`}
          mode={view.mode}
          catalog={loaded.catalog}
          sites={loaded.account.sites}
          currentExpiry={view.key?.expiresAt}
          initial={initialValues(view.mode, loaded.catalog, view.key)}
          onSubmit={(values) => onFormSubmit(view.mode, view.key, values)}
          onCancel={() => {
            setView({ kind: 'list' });
            restoreFocus();
          }}
        />
      ) : (
        <>
          <div class="page-head">
            <h1 ref={heading} tabIndex={-1}>
              API Keys
            </h1>
            <button
              type="button"
              class="primary"
              onClick={(event) => {
                returnTo.current = event.currentTarget;
                setView({ kind: 'form', mode: 'create' });
              }}
            >
              Generate API Key
            </button>
          </div>
          <p class="muted">
            API keys let applications call your site and account data. By default, each key reaches every site
            of the account.
          </p>
          <AccountId accountId={loaded.account.accountId} onCopied={setAnnouncement} />
          <section aria-labelledby="keys-heading" class="keys">
            <h2 id="keys-heading">Your API keys</h2>
            {loaded.keys.length === 0 ? (
              <div class="empty-state">
                <p>You have no API keys yet.</p>
                <p class="muted">Generate your first API key to start calling the APIs of your sites.</p>
              </div>
            ) : (
              <KeyTable keys={loaded.keys} catalog={loaded.catalog} onAction={onRowAction} />
            )}
            {loaded.nextCursor !== undefined && (
              <button type="button" class="secondary" disabled={loadingMore} onClick={() => void loadMore()}>
                Show More Keys
              </button>
            )}
          </section>
        </>
      )}
      <p role="status" class="visually-hidden">
        {announcement}
      </p>
      {flow !== undefined && (
        <FlowDialogs
          flow={flow}
          api={api}
          localMode={props.localMode}
          onStep={setFlow}
          onEnd={endFlow}
          onBack={() => setFlow(undefined)}
          onVerifyCancel={() => (view.kind === 'list' ? endFlow() : setFlow(undefined))}
          onVerified={onVerified}
          onTokenClosed={() => {
            setAnnouncement('The token dialog is closed. The token is no longer shown anywhere.');
            endFlow();
          }}
        />
      )}
    </div>
  );
}
