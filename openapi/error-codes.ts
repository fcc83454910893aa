import type { VerificationRefusal } from '../shared/domain/errors';

/**
 * Every error code the API answers with, its status and what it means. The description lists, per
 * route, which of these the route may answer; the contract tests fail on any code or status a route
 * answers that its entry does not list, so a new code has to be added here (and to docs/api.md).
 */
export const ERROR_CODES = {
  validation_failed: {
    status: 400,
    description: 'A body, query or header is not what the route takes; `details.issues` names each problem.',
  },
  invalid_json: { status: 400, description: 'The body is not JSON.' },
  unknown_permission: {
    status: 400,
    description:
      'Permission ids not in the catalog, unknown access levels, or `:read` where not offered, all named in `details.unknownPermissions`.',
  },
  unknown_site: {
    status: 400,
    description: '`siteIds` names sites not in the account (`details.unknownSites`).',
  },
  invalid_expiry: { status: 400, description: '`expiresAt` is not later than now.' },
  invalid_cursor: {
    status: 400,
    description:
      'A cursor this list did not return for this account and these filters: malformed, altered, forged, signed under a retired pepper, or issued to another account or list (`details.reason`: `malformed`, `bad_signature` or `unknown_key`).',
  },
  invalid_webhook_url: {
    status: 400,
    description: 'A webhook URL that is not https, or points at a private, loopback or link-local address.',
  },
  too_many_tokens: { status: 400, description: 'A leak report naming more than 100 tokens.' },
  unauthorized: { status: 401, description: 'No verified caller.' },
  no_account: { status: 403, description: 'The signed-in user belongs to no account.' },
  verification_failed: {
    status: 403,
    description: 'A wrong code (`details.triesLeft`), or a code that does not confirm this request.',
  },
  verification_expired: { status: 403, description: 'The code is older than 10 minutes.' },
  verification_used: { status: 403, description: 'The code was already spent.' },
  verification_exhausted: { status: 403, description: 'The code took 5 wrong tries.' },
  missing_permission: { status: 403, description: 'The API key lacks the permission the route needs.' },
  missing_site: { status: 403, description: 'A site-level route was called without `x-site-id`.' },
  read_only_key: { status: 403, description: "The API key holds the route's permission read-only." },
  not_found: {
    status: 404,
    description: "No such key in the caller's account (another account's key is reported the same way).",
  },
  version_conflict: { status: 409, description: 'The key changed between read and write.' },
  busy: {
    status: 409,
    description: 'Too many code requests for the account at the same instant; try again.',
  },
  precondition_failed: { status: 412, description: '`If-Match` names a version the key is no longer at.' },
  payload_too_large: { status: 413, description: 'The body is over 16 KiB.' },
  unsupported_media_type: { status: 415, description: 'A body that is not `application/json`.' },
  too_many_codes: { status: 429, description: "A member's 6th code within 15 minutes (`Retry-After`)." },
  mailbox_limit: {
    status: 429,
    description: 'Non-owner members asked for 20 codes within 15 minutes (`Retry-After`).',
  },
  member_locked: {
    status: 429,
    description: "This member's 100 consecutive code failures; locked for an hour (`Retry-After`).",
  },
  internal_error: { status: 500, description: 'Anything unexpected; details only in the log.' },
  code_not_sent: { status: 503, description: 'The mail service refused the code (`Retry-After`).' },
} as const satisfies Record<string, { readonly status: number; readonly description: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export function statusOf(code: ErrorCode): number {
  return ERROR_CODES[code].status;
}

/** Every way the domain refuses a code is listed above: a new refusal fails the type check here. */
type UndocumentedRefusal = Exclude<VerificationRefusal, ErrorCode>;
export const EVERY_REFUSAL_DOCUMENTED: [UndocumentedRefusal] extends [never] ? true : UndocumentedRefusal =
  true;
