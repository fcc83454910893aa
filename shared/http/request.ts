import type * as z from 'zod/mini';
import '../domain/zod-messages';
import type { RequestOrigin } from '../domain/audit-events';
import {
  NotFoundError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../domain/errors';
import type { HttpEvent } from './event';

/** Request bodies are small JSON documents; anything larger is refused before parsing. */
export const MAX_BODY_BYTES = 16 * 1024;

/** Decodes, size-checks, parses and validates a JSON body. An absent body is validated as `{}`. */
export function parseJsonBody<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.output<S> {
  const raw = rawBody(event);
  let parsed: unknown = {};
  if (raw !== undefined && raw.trim() !== '') {
    const contentType = header(event, 'content-type');
    if (contentType !== undefined && !/^application\/([a-z.+-]*\+)?json\b/i.test(contentType.trim())) {
      throw new UnsupportedMediaTypeError('Send the request body as application/json');
    }
    try {
      parsed = JSON.parse(raw);
    } catch {
      throw new ValidationError('The request body is not valid JSON', undefined, 'invalid_json');
    }
  }
  return validate(schema, parsed, 'body');
}

/** The raw body text, or undefined when there is none. Refuses oversized bodies (413). */
export function rawBody(event: HttpEvent, maxBytes: number = MAX_BODY_BYTES): string | undefined {
  const bytes = rawBodyBytes(event, maxBytes);
  return bytes?.toString('utf8');
}

/** The body's exact bytes, for checking a signature over them; 413 past `maxBytes`. */
export function rawBodyBytes(event: HttpEvent, maxBytes: number = MAX_BODY_BYTES): Buffer | undefined {
  if (event.body === undefined || event.body === null) return undefined;
  const bytes = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (bytes.length > maxBytes) {
    throw new PayloadTooLargeError(`The request body is larger than ${maxBytes} bytes`);
  }
  return bytes;
}

export function parseQuery<S extends z.ZodMiniType>(event: HttpEvent, schema: S): z.output<S> {
  return validate(schema, event.queryStringParameters ?? {}, 'query');
}

/**
 * A path parameter that must match `pattern`. A malformed id is reported exactly like an unknown one,
 * so the response never tells a caller anything about ids it does not own.
 */
export function pathParam(event: HttpEvent, name: string, pattern: RegExp, notFoundMessage: string): string {
  const value = event.pathParameters?.[name];
  if (value === undefined || !pattern.test(value)) throw new NotFoundError(notFoundMessage);
  return value;
}

/** Header lookup that ignores case (API Gateway lower-cases HTTP API headers; local callers may not). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The signed-in user: the JWT subject that API Gateway's JWT authorizer already verified. */
export function callerId(event: HttpEvent): string {
  const sub = event.requestContext.authorizer?.jwt?.claims.sub;
  if (typeof sub !== 'string' || sub === '')
    throw new UnauthorizedError('Sign in: this route needs a valid bearer token');
  return sub;
}

/** What the audit log records of a request: API Gateway's source IP, the user agent and request id. */
export function requestOrigin(event: HttpEvent): RequestOrigin {
  const userAgent = event.requestContext?.http?.userAgent ?? header(event, 'user-agent');
  return {
    sourceIp: event.requestContext?.http?.sourceIp,
    // Capped: the user agent is the caller's to choose, and the audit log is not their storage.
    userAgent: userAgent?.slice(0, 512),
    requestId: event.requestContext?.requestId,
  };
}

/** The signed-in member as the audit log records them: the JWT subject, its email claim and origin. */
export function callerDetails(event: HttpEvent): { email?: string; origin: RequestOrigin } {
  const email = event.requestContext.authorizer?.jwt?.claims.email;
  return { ...(typeof email === 'string' && email !== '' ? { email } : {}), origin: requestOrigin(event) };
}

export function validate<S extends z.ZodMiniType>(
  schema: S,
  input: unknown,
  where: 'body' | 'query' | 'headers',
): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: [where, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const first = issues[0];
  throw new ValidationError(first === undefined ? `Invalid ${where}` : `${first.path}: ${first.message}`, {
    issues,
  });
}
