import { ApiError } from './api';

/**
 * What the page says when the API refuses something: each refusal of a code its own sentence, the
 * rate limits with the time the user can try again. Anything unexpected says so plainly.
 */
export function describeFailure(error: unknown, now: Date = new Date()): string {
  if (!(error instanceof ApiError)) {
    return 'Something went wrong on the way to the server. Check your connection and try again.';
  }
  if (error.status === 401) return 'Your session has ended. Sign in again.';
  switch (error.code) {
    case 'verification_failed': {
      const left = attemptsLeft(error.details);
      return left === undefined
        ? 'That code is not right. Check the code in the email and try again.'
        : `That code is not right. Check the code in the email and try again (${left} ${left === 1 ? 'try' : 'tries'} left).`;
    }
    case 'verification_expired':
      return 'This code has expired. Click Resend to get a new one.';
    case 'verification_used':
      return 'This code has already been used. Click Resend to get a new one.';
    case 'verification_exhausted':
      return 'Too many wrong tries for this code. Click Resend to get a new one.';
    case 'too_many_codes':
      return `You have asked for too many codes. You can try again ${whenAgain(error, now)}.`;
    case 'member_locked':
      return `Your changes are locked after too many wrong codes. You can try again ${whenAgain(error, now)}.`;
    case 'mailbox_limit':
      return `The account's members have asked for too many codes. You can try again ${whenAgain(error, now)}, or ask an owner.`;
    case 'code_not_sent':
      return `The code could not be sent. You can try again ${whenAgain(error, now)}.`;
    case 'version_conflict':
    case 'precondition_failed':
      return 'This key was changed by someone else in the meantime. Close this and try again.';
    case 'not_found':
      return 'This API key no longer exists.';
    default:
      return error.status >= 500 ? 'Something went wrong on our side. Try again in a moment.' : error.message;
  }
}

function attemptsLeft(details: unknown): number | undefined {
  if (typeof details !== 'object' || details === null) return undefined;
  const value: unknown = Reflect.get(details, 'attemptsLeft') ?? Reflect.get(details, 'triesLeft');
  return typeof value === 'number' ? value : undefined;
}

function whenAgain(error: ApiError, now: Date): string {
  if (error.retryAfterSeconds === undefined) return 'in a few minutes';
  const at = new Date(now.getTime() + error.retryAfterSeconds * 1000);
  const clock = at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
  const minutes = Math.ceil(error.retryAfterSeconds / 60);
  return `at ${clock} (in ${minutes} ${minutes === 1 ? 'minute' : 'minutes'})`;
}
