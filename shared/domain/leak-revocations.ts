import type { ApiKeyRecord } from './api-keys';
import { AuditEventFactory, keySnapshot, type RequestOrigin } from './audit-events';
import type { KeyEventNotifier } from './key-lifecycle';
import { isExpired, previousTokenLive } from './key-policies';
import type { ReportedToken } from './leak-reports';
import type { TokenDigest } from './pepper';
import { type Clock, type KeyStore, systemClock } from './ports';
import { parseToken } from './token';

export type LeakLabel = 'true_positive' | 'false_positive';

/** One element of GitHub's feedback array. */
export interface LeakFeedback {
  readonly token_raw: string;
  readonly token_type: string;
  readonly label: LeakLabel;
}

export interface TokenVerifier {
  verifyToken(token: string, stored: TokenDigest): Promise<boolean>;
}

/** Who a key's `updatedBy` names when a leak report ended its grace period. */
export const LEAK_REPORT_ACTOR = 'leak-report';

/** Which of a key's secrets a reported token is: the current one, or the one its grace keeps alive. */
export type LeakedToken = 'current' | 'previous';

/**
 * Answers a verified report: for each token the checksum first (no read for a non-token), then one
 * consistent read and constant-time HMAC comparisons. A live current token's key is deleted at once
 * with its `key.revoked_leak` event in one transaction; a live previous token (a rotation's grace)
 * has its grace ended at once, the key and its current token kept; then the account is told. A token
 * named twice in one report gets the same answer twice and costs one revocation.
 */
export class LeakReportService {
  private readonly keys: KeyStore;
  private readonly tokens: TokenVerifier;
  private readonly events: AuditEventFactory;
  private readonly notifier: KeyEventNotifier | undefined;
  private readonly clock: Clock;

  constructor(deps: {
    keys: KeyStore;
    tokens: TokenVerifier;
    events?: AuditEventFactory | undefined;
    notifier?: KeyEventNotifier | undefined;
    clock?: Clock | undefined;
  }) {
    this.keys = deps.keys;
    this.tokens = deps.tokens;
    this.clock = deps.clock ?? systemClock;
    // Events stamped by the same clock that judged the grace and the expiry, as KeyLifecycle does.
    this.events = deps.events ?? new AuditEventFactory(undefined, () => this.clock.now());
    this.notifier = deps.notifier;
  }

  async handleReport(report: readonly ReportedToken[], origin: RequestOrigin): Promise<LeakFeedback[]> {
    const answered = new Map<string, LeakLabel>();
    // Keys this report deleted: a later token of the same key (its grace token) was still live when
    // reported, so it is answered as such, whatever the order of the report.
    const deleted = new Map<string, ApiKeyRecord>();
    const feedback: LeakFeedback[] = [];
    for (const reported of report) {
      let label = answered.get(reported.token);
      if (label === undefined) {
        label = await this.revokeIfLive(reported, origin, deleted);
        answered.set(reported.token, label);
      }
      feedback.push({ token_raw: reported.token, token_type: reported.type, label });
    }
    return feedback;
  }

  private async revokeIfLive(
    reported: ReportedToken,
    origin: RequestOrigin,
    deleted: Map<string, ApiKeyRecord>,
  ): Promise<LeakLabel> {
    const parsed = parseToken(reported.token);
    if (parsed === undefined) return 'false_positive';
    const stored = await this.keys.get(parsed.keyId);
    const key = stored ?? deleted.get(parsed.keyId);
    if (key === undefined) return 'false_positive';
    const which = await this.liveTokenOf(parsed.token, key);
    if (which === undefined) return 'false_positive';
    if (stored === undefined) return 'true_positive';
    const event = this.events.build(
      { member: null, origin },
      {
        accountId: key.accountId,
        type: 'key.revoked_leak',
        key,
        changes: which === 'current' ? { before: keySnapshot(key) } : null,
        details: {
          url: reported.url,
          source: reported.source,
          tokenType: reported.type,
          revokedToken: which,
        },
      },
    );
    // Lost only when the key was rotated or deleted (or, for a previous token, its grace ended)
    // since the read: the reported token is dead.
    const revoked =
      which === 'current'
        ? await this.keys.deleteIfTokenMatches(key, event)
        : await this.keys.revokePreviousToken(key, event, LEAK_REPORT_ACTOR);
    if (!revoked) return 'false_positive';
    if (which === 'current') deleted.set(key.keyId, key);
    await this.notifier?.notify(event);
    return 'true_positive';
  }

  private async liveTokenOf(token: string, key: ApiKeyRecord): Promise<LeakedToken | undefined> {
    // An expired key's tokens are refused by the authorizer already: nothing live leaked, and the key
    // stays listed as expired rather than vanishing. DynamoDB keeps nothing expired here by TTL (keys
    // have none), so the expiry is checked on read, as the authorizer does.
    if (isExpired(key, this.clock.now())) return undefined;
    if (await this.tokens.verifyToken(token, key)) return 'current';
    // The table keeps an ended grace until the next rotation, so its end is checked here, on read.
    const previous = key.previousToken;
    if (previous === undefined || !previousTokenLive(key, this.clock.now())) return undefined;
    return (await this.tokens.verifyToken(token, previous)) ? 'previous' : undefined;
  }
}
