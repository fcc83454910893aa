/**
 * The one error hierarchy. Each error carries the HTTP status and a stable machine-readable code;
 * the http error middleware is the only place that turns them into responses. Anything that is not
 * an AppError is unexpected and becomes a generic 500.
 */
export interface ErrorDetails {
  readonly [key: string]: unknown;
}

export abstract class AppError extends Error {
  abstract readonly statusCode: number;
  abstract readonly code: string;
  readonly details: ErrorDetails | undefined;
  /** Extra response headers, such as Retry-After. */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    message: string,
    options: { details?: ErrorDetails; cause?: unknown; headers?: Record<string, string> } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.details = options.details;
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  readonly statusCode = 400;
  readonly code: string;
  constructor(message: string, details?: ErrorDetails, code = 'validation_failed') {
    super(message, details === undefined ? {} : { details });
    this.code = code;
  }
}

export class UnauthorizedError extends AppError {
  readonly statusCode = 401;
  readonly code = 'unauthorized';
}

export class ForbiddenError extends AppError {
  readonly statusCode = 403;
  readonly code: string;
  constructor(message: string, code = 'forbidden', details?: ErrorDetails) {
    super(message, details === undefined ? {} : { details });
    this.code = code;
  }
}

/**
 * Why a verification code was refused. The caller may learn which, because a challenge is only ever
 * described to the member it was issued to: an unknown id or another member's challenge is plain
 * `verification_failed`.
 */
export type VerificationRefusal =
  | 'verification_failed'
  | 'verification_expired'
  | 'verification_used'
  | 'verification_exhausted';

/** A verification code was wrong, expired, used, used up, or bound to another request. */
export class VerificationFailedError extends AppError {
  readonly statusCode = 403;
  readonly code: VerificationRefusal;
  constructor(message: string, code: VerificationRefusal = 'verification_failed', details?: ErrorDetails) {
    super(message, details === undefined ? {} : { details });
    this.code = code;
  }
}

export class NotFoundError extends AppError {
  readonly statusCode = 404;
  readonly code = 'not_found';
}

export class ConflictError extends AppError {
  readonly statusCode = 409;
  readonly code: string;
  constructor(message: string, code = 'conflict') {
    super(message);
    this.code = code;
  }
}

export class PreconditionFailedError extends AppError {
  readonly statusCode = 412;
  readonly code = 'precondition_failed';
}

export class PayloadTooLargeError extends AppError {
  readonly statusCode = 413;
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends AppError {
  readonly statusCode = 415;
  readonly code = 'unsupported_media_type';
}

export class TooManyRequestsError extends AppError {
  readonly statusCode = 429;
  readonly code: string;
  readonly retryAfterSeconds: number;
  constructor(message: string, retryAfterSeconds: number, code = 'too_many_requests') {
    const retryAfter = Math.max(1, Math.ceil(retryAfterSeconds));
    super(message, {
      headers: { 'Retry-After': String(retryAfter) },
      details: { retryAfterSeconds: retryAfter },
    });
    this.code = code;
    this.retryAfterSeconds = retryAfter;
  }
}

/** A dependency (DynamoDB, SES, KMS) failed in a way the caller cannot fix. Shown as a generic 5xx. */
export class DependencyError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'DependencyError';
  }
}
