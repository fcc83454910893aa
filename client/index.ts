import createClient, { type Client, type Middleware } from 'openapi-fetch';
import type { components, paths } from './api';

/**
 * The typed Latchkey client: types generated from docs/openapi.json (client/api.d.ts) and a small
 * fetch client over them (openapi-fetch). The CLI uses it, the console can, and so can any
 * TypeScript project: `import { createLatchkeyClient } from 'latchkey/client'`.
 *
 *   const api = createLatchkeyClient({ baseUrl, token: jwt });
 *   const keys = await expectOk(api.GET('/v1/api-keys', { params: { query: { limit: 50 } } }));
 */
export type { components, operations, paths } from './api';

type Schemas = components['schemas'];
export type ApiKey = Schemas['ApiKey'];
export type IssuedApiKey = Schemas['IssuedApiKey'];
export type ApiKeyPage = Schemas['ApiKeyPage'];
export type Permission = Schemas['Permission'];
export type Account = Schemas['Account'];
export type Site = Schemas['Site'];
export type SentCode = Schemas['SentCode'];
export type Product = Schemas['Product'];

export type LatchkeyClient = Client<paths>;

/** A bearer token, or a function returning the current one (asked on every request). */
export type TokenSource = string | (() => string | Promise<string>);

export interface LatchkeyClientOptions {
  /** The API's base URL: the deployed API's URL, or `http://127.0.0.1:3000` under `npm start`. */
  readonly baseUrl: string;
  /** Management API: the signed-in user's JWT. */
  readonly token?: TokenSource;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/** A client of the management API, sending `Authorization: Bearer <token>` on every request. */
export function createLatchkeyClient(options: LatchkeyClientOptions): LatchkeyClient {
  const client = createClient<paths>({ baseUrl: trimSlash(options.baseUrl), fetch: options.fetch });
  const token = options.token;
  if (token !== undefined) {
    client.use(
      headersMiddleware(async () => ({
        Authorization: `Bearer ${typeof token === 'string' ? token : await token()}`,
      })),
    );
  }
  return client;
}

export interface ProtectedClientOptions {
  readonly baseUrl: string;
  /** The API key token. */
  readonly token: string;
  /** The key's account id (`GET /v1/account`). Site-level routes take `x-site-id` as a typed header. */
  readonly accountId: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof globalThis.fetch;
}

/** A client of an API the Latchkey authorizer guards (the sample protected API). */
export function createProtectedClient(options: ProtectedClientOptions): LatchkeyClient {
  const client = createClient<paths>({ baseUrl: trimSlash(options.baseUrl), fetch: options.fetch });
  const headers: Record<string, string> = { Authorization: options.token, 'x-account-id': options.accountId };
  client.use(headersMiddleware(async () => headers));
  return client;
}

function headersMiddleware(headers: () => Promise<Record<string, string>>): Middleware {
  return {
    async onRequest({ request }) {
      for (const [name, value] of Object.entries(await headers())) request.headers.set(name, value);
      return request;
    },
  };
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The headers that confirm a sensitive action with the code from the email. */
export function verificationHeaders(proof: { readonly verificationId: string; readonly code: string }) {
  return { 'X-Verification-Id': proof.verificationId, 'X-Verification-Code': proof.code };
}

/** An answer other than 2xx, with the API's stable code and its message for people. */
export class LatchkeyApiError extends Error {
  override readonly name = 'LatchkeyApiError';
  constructor(
    readonly status: number,
    /** The API's error code (`not_found`, `verification_failed`, ...), or `http_<status>` for gateway answers. */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> | undefined,
    /** From `Retry-After`, when the answer has one. */
    readonly retryAfterSeconds: number | undefined,
  ) {
    super(message);
  }
}

interface FetchResult<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/** The body of a 2xx answer (undefined for 204), or a LatchkeyApiError carrying the API's code and message. */
export async function expectOk<T>(pending: Promise<FetchResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (response.ok) return data as T;
  throw toApiError(response, error);
}

export function toApiError(response: Response, body: unknown): LatchkeyApiError {
  const retry = response.headers.get('retry-after');
  const retryAfter = retry !== null && /^\d+$/.test(retry) ? Number(retry) : undefined;
  if (isRecord(body) && isRecord(body.error) && typeof body.error.code === 'string') {
    const message = typeof body.error.message === 'string' ? body.error.message : response.statusText;
    const details = isRecord(body.error.details) ? body.error.details : undefined;
    return new LatchkeyApiError(response.status, body.error.code, message, details, retryAfter);
  }
  // API Gateway's own answers are `{"message": "Unauthorized"}` and the like.
  const message = isRecord(body) && typeof body.message === 'string' ? body.message : response.statusText;
  return new LatchkeyApiError(response.status, `http_${response.status}`, message, undefined, retryAfter);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
