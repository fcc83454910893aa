import { useEffect, useId, useState } from 'preact/hooks';

/**
 * Local mode only: the latest mails the local SES received (`/local/inbox`), so a developer reads
 * the code here instead of opening a second tool. Refreshes itself every two seconds while shown.
 */
interface InboxMail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly sentAt: string;
}

const SHOWN = 3;
const POLL_MS = 2000;

export function InboxPanel({ compact = false }: { readonly compact?: boolean }) {
  const [mails, setMails] = useState<readonly InboxMail[] | undefined>(undefined);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let stopped = false;
    const load = async () => {
      try {
        const response = await fetch('/local/inbox', { cache: 'no-store' });
        if (!response.ok) throw new Error(String(response.status));
        const body = (await response.json()) as { emails: InboxMail[] };
        if (!stopped) {
          setMails(body.emails.slice(0, SHOWN));
          setFailed(false);
        }
      } catch {
        if (!stopped) setFailed(true);
      }
    };
    void load();
    const timer = setInterval(load, POLL_MS);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, []);

  const Heading = compact ? 'h3' : 'h2';
  const headingId = useId();
  return (
    <section class={compact ? 'inbox inbox-compact' : 'inbox'} aria-labelledby={headingId}>
      <Heading id={headingId}>Inbox (local mode)</Heading>
      {failed && <p class="error-text">The local inbox did not answer.</p>}
      {mails !== undefined && mails.length === 0 && <p class="muted">No mail yet.</p>}
      <ol class="inbox-list" aria-label="Latest mails, newest first">
        {(mails ?? []).map((mail) => (
          <li key={`${mail.sentAt}-${mail.subject}`}>
            <p class="inbox-meta">
              <strong>{mail.subject}</strong> to {mail.to} at{' '}
              {new Date(mail.sentAt).toLocaleTimeString([], {
                hour: '2-digit',
                minute: '2-digit',
                second: '2-digit',
              })}
            </p>
            <pre class="inbox-text">{mail.text}</pre>
          </li>
        ))}
      </ol>
    </section>
  );
}
