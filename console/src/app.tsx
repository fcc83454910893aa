import { useEffect, useMemo, useState } from 'preact/hooks';
import { ManagementApi } from './api';
import { completeSignIn, isCallback, type Session, startSignIn } from './auth';
import { ActivityPage } from './components/activity-page';
import { ApiKeysPage } from './components/api-keys-page';
import { InboxPanel } from './components/inbox-panel';
import type { ConsoleConfig } from './config';

/** The pages of the sidebar, by the URL's hash, so a reload or a shared link keeps the page. */
type ConsolePage = 'api-keys' | 'activity';

function pageOf(hash: string): ConsolePage {
  return hash === '#activity' ? 'activity' : 'api-keys';
}

type Phase =
  | { readonly kind: 'starting' }
  | { readonly kind: 'signed-in'; readonly session: Session }
  | { readonly kind: 'signed-out'; readonly reason: string };

/**
 * The shell: sign-in state, the top bar (Local mode badge, Inbox, Sign out), the Settings sidebar
 * and the API Keys page. The session is this component's state and nothing else.
 */
export function App({ config }: { readonly config: ConsoleConfig }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'starting' });
  const [inboxOpen, setInboxOpen] = useState(false);
  const [page, setPage] = useState<ConsolePage>(pageOf(window.location.hash));

  useEffect(() => {
    const follow = () => setPage(pageOf(window.location.hash));
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const signIn = () => {
    startSignIn(config).catch((error: unknown) =>
      setPhase({ kind: 'signed-out', reason: `Sign-in could not start: ${String(error)}` }),
    );
  };

  useEffect(() => {
    if (isCallback()) {
      completeSignIn(config).then(
        (session) => setPhase({ kind: 'signed-in', session }),
        (error: unknown) => {
          const message = error instanceof Error ? error.message : String(error);
          setPhase({ kind: 'signed-out', reason: `Sign-in failed: ${message}` });
        },
      );
    } else {
      signIn();
    }
  }, []);

  const api = useMemo(
    () =>
      phase.kind === 'signed-in'
        ? new ManagementApi(config.apiUrl, phase.session.accessToken, () => {
            // An expired or revoked session: back to the issuer's sign-in page.
            setPhase({ kind: 'starting' });
            signIn();
          })
        : undefined,
    [phase],
  );

  const signOut = () => {
    setPhase({ kind: 'signed-out', reason: 'You signed out.' });
    if (config.signOutUrl !== undefined) window.location.assign(config.signOutUrl);
  };

  return (
    <div class="shell">
      <header class="topbar">
        <span class="brand">Latchkey</span>
        {config.localMode && <span class="badge">Local mode</span>}
        <span class="topbar-spacer" />
        {config.localMode && (
          <button
            type="button"
            class="secondary"
            aria-expanded={inboxOpen}
            aria-controls="inbox-panel"
            onClick={() => setInboxOpen(!inboxOpen)}
          >
            Inbox
          </button>
        )}
        {phase.kind === 'signed-in' && (
          <>
            <span class="user" title="Signed in as">
              {phase.session.email}
            </span>
            <button type="button" class="secondary" onClick={signOut}>
              Sign out
            </button>
          </>
        )}
      </header>
      <nav class="sidebar" aria-label="Dashboard">
        <p class="sidebar-group" id="settings-group">
          Settings
        </p>
        <ul aria-labelledby="settings-group">
          <li>
            <a href="#api-keys" aria-current={page === 'api-keys' ? 'page' : undefined}>
              API Keys
            </a>
          </li>
          <li>
            <a href="#activity" aria-current={page === 'activity' ? 'page' : undefined}>
              Activity
            </a>
          </li>
        </ul>
      </nav>
      <main class="content">
        {phase.kind === 'starting' && <p role="status">Signing you in…</p>}
        {phase.kind === 'signed-out' && (
          <div class="page">
            <h1>API Keys</h1>
            <p role="alert">{phase.reason}</p>
            <button type="button" class="primary" onClick={signIn}>
              Sign in
            </button>
          </div>
        )}
        {api !== undefined && page === 'api-keys' && <ApiKeysPage api={api} localMode={config.localMode} />}
        {api !== undefined && page === 'activity' && <ActivityPage api={api} />}
      </main>
      {config.localMode && (
        <aside id="inbox-panel" class="inbox-aside" hidden={!inboxOpen}>
          {inboxOpen && <InboxPanel />}
        </aside>
      )}
    </div>
  );
}
