import { useEffect, useState } from 'preact/hooks';
import type { ApiKey, AuditEvent, AuditEventType, EventFilters, ManagementApi } from '../api';
import { describeFailure } from '../messages';
import { formatDate } from './key-table';

/** How each event reads in the table. */
const EVENT_LABELS: Record<AuditEventType, string> = {
  'key.created': 'Key generated',
  'key.rotated': 'Key rotated',
  'key.duplicated': 'Key duplicated',
  'key.updated': 'Key edited',
  'key.deleted': 'Key deleted',
  'key.revoked_leak': 'Key revoked: token leaked',
  'verification.sent': 'Code sent',
  'verification.failed': 'Code refused',
  'verification.locked': 'Changes locked',
};

interface Loaded {
  readonly events: readonly AuditEvent[];
  readonly nextCursor?: string | undefined;
}

/**
 * Activity: the account's audit log, newest first, filtered by key and event type like
 * `GET /v1/audit-events`, a page at a time.
 */
export function ActivityPage(props: { readonly api: ManagementApi }) {
  const { api } = props;
  const [filters, setFilters] = useState<EventFilters>({});
  const [keys, setKeys] = useState<readonly ApiKey[]>([]);
  const [loaded, setLoaded] = useState<Loaded | undefined>(undefined);
  const [failure, setFailure] = useState<string | undefined>(undefined);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    // The key filter offers the account's current keys; a deleted key's events show unfiltered.
    api.listKeys(undefined, 100).then(
      (page) => setKeys(page.apiKeys),
      () => setKeys([]),
    );
  }, [api]);

  useEffect(() => {
    setLoaded(undefined);
    api.listEvents(filters).then(
      (page) => {
        setLoaded({ events: page.events, nextCursor: page.nextCursor });
        setFailure(undefined);
      },
      (error: unknown) => setFailure(describeFailure(error)),
    );
  }, [api, filters]);

  const loadMore = async () => {
    if (loaded?.nextCursor === undefined) return;
    setLoadingMore(true);
    try {
      const page = await api.listEvents(filters, loaded.nextCursor);
      setLoaded({ events: [...loaded.events, ...page.events], nextCursor: page.nextCursor });
    } catch (error) {
      setFailure(describeFailure(error));
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div class="page">
      <h1>Activity</h1>
      <p>Who changed which API key, and every verification code sent or refused, newest first.</p>
      <form class="activity-filters" aria-label="Filter activity" onSubmit={(e) => e.preventDefault()}>
        <label>
          Key
          <select
            value={filters.keyId ?? ''}
            onChange={(e) => setFilters({ ...filters, keyId: e.currentTarget.value || undefined })}
          >
            <option value="">All keys</option>
            {keys.map((key) => (
              <option key={key.keyId} value={key.keyId}>
                {key.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          Event
          <select
            value={filters.type ?? ''}
            onChange={(e) =>
              setFilters({
                ...filters,
                type: (e.currentTarget.value || undefined) as AuditEventType | undefined,
              })
            }
          >
            <option value="">All events</option>
            {(Object.keys(EVENT_LABELS) as AuditEventType[]).map((type) => (
              <option key={type} value={type}>
                {EVENT_LABELS[type]}
              </option>
            ))}
          </select>
        </label>
      </form>
      {failure !== undefined && <p role="alert">{failure}</p>}
      {loaded === undefined && failure === undefined && <p role="status">Loading activity…</p>}
      {loaded !== undefined && loaded.events.length === 0 && <p>No activity matches these filters.</p>}
      {loaded !== undefined && loaded.events.length > 0 && (
        <table class="key-table activity-table">
          <caption class="visually-hidden">Activity of this account, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Event</th>
              <th scope="col">Key</th>
              <th scope="col">By</th>
              <th scope="col">From</th>
            </tr>
          </thead>
          <tbody>
            {loaded.events.map((event) => (
              <tr key={event.eventId}>
                <td data-label="When">{formatDate(event.occurredAt)}</td>
                <th scope="row" data-label="Event">
                  {EVENT_LABELS[event.type]}
                </th>
                <td data-label="Key">{event.keyName ?? event.keyId ?? '—'}</td>
                <td data-label="By">
                  {event.member === null ? 'Leak report' : (event.member.email ?? event.member.userId)}
                </td>
                <td data-label="From">{event.source.ip ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {loaded?.nextCursor !== undefined && (
        <button type="button" class="secondary" disabled={loadingMore} onClick={() => void loadMore()}>
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  );
}
