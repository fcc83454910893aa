import type {
  CreateApiKeyRequest,
  DuplicateApiKeyRequest,
  UpdateApiKeyRequest,
} from '../../shared/domain/api-key-requests';
import type { PublicApiKey } from '../../shared/domain/api-keys';
import type { Permission } from '../../shared/domain/permissions';
import type { VerifiedAction } from '../../shared/domain/ports';

/**
 * Every call the page makes to the management API, typed with the handlers' own shapes. Type-only
 * imports: nothing of the server's code reaches the bundle.
 */
export type ApiKey = PublicApiKey;
export type { Permission, VerifiedAction };

export interface Account {
  readonly accountId: string;
  /** Masked, e.g. `j***@acme.example`. */
  readonly email: string;
  readonly sites: readonly { readonly siteId: string; readonly name: string }[];
}

export interface KeyPage {
  readonly apiKeys: readonly ApiKey[];
  readonly nextCursor?: string;
}

export interface SentCode {
  readonly verificationId: string;
  readonly sentTo: string;
  readonly expiresAt: string;
}

export interface Proof {
  readonly verificationId: string;
  readonly code: string;
}

/**
 * The request bodies as the page sends them: the handlers' shapes, with permission ids as the
 * strings `GET /v1/permissions` lists (the server refuses an unknown one, naming it).
 */
type WithPermissionIds<T> = Omit<T, 'permissions'> & { readonly permissions?: readonly string[] | undefined };
export type CreateRequest = Omit<CreateApiKeyRequest, 'permissions'> & {
  readonly permissions: readonly string[];
};
export type DuplicateRequest = WithPermissionIds<DuplicateApiKeyRequest>;
export type UpdateRequest = WithPermissionIds<UpdateApiKeyRequest>;

/** What one verified action does, with the body its code is bound to. */
export type KeyAction =
  | { readonly action: 'create'; readonly request: CreateRequest }
  | { readonly action: 'duplicate'; readonly keyId: string; readonly request: DuplicateRequest }
  | { readonly action: 'update'; readonly keyId: string; readonly request: UpdateRequest }
  | { readonly action: 'rotate'; readonly keyId: string }
  | { readonly action: 'delete'; readonly keyId: string };

export type ActionResult =
  | { readonly kind: 'token'; readonly apiKey: ApiKey; readonly token: string }
  | { readonly kind: 'key'; readonly apiKey: ApiKey }
  | { readonly kind: 'deleted' };

/** A refusal from the API: its stable code, its message for people, and when to retry if it said. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds: number | undefined,
    readonly details: unknown,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export class ManagementApi {
  constructor(
    private readonly baseUrl: string,
    private readonly accessToken: string,
    /** Called on a 401 (an expired or revoked session) before the error is thrown. */
    private readonly onUnauthorized: () => void = () => {},
  ) {}

  account(): Promise<Account> {
    return this.call('GET', '/v1/account');
  }

  async permissions(): Promise<readonly Permission[]> {
    const body = await this.call<{ permissions: Permission[] }>('GET', '/v1/permissions');
    return body.permissions;
  }

  listKeys(cursor?: string, limit = 20): Promise<KeyPage> {
    const query = new URLSearchParams({ limit: String(limit) });
    if (cursor !== undefined) query.set('cursor', cursor);
    return this.call('GET', `/v1/api-keys?${query}`);
  }

  sendCode(intent: KeyAction): Promise<SentCode> {
    const body =
      intent.action === 'create'
        ? { action: intent.action, request: intent.request }
        : intent.action === 'rotate' || intent.action === 'delete'
          ? { action: intent.action, keyId: intent.keyId }
          : { action: intent.action, keyId: intent.keyId, request: intent.request };
    return this.call('POST', '/v1/verifications', body);
  }

  async perform(intent: KeyAction, proof: Proof): Promise<ActionResult> {
    const headers = { 'x-verification-id': proof.verificationId, 'x-verification-code': proof.code };
    const keyPath = (keyId: string) => `/v1/api-keys/${encodeURIComponent(keyId)}`;
    switch (intent.action) {
      case 'create':
        return withToken(await this.call('POST', '/v1/api-keys', intent.request, headers));
      case 'duplicate':
        return withToken(
          await this.call('POST', `${keyPath(intent.keyId)}/duplicate`, intent.request, headers),
        );
      case 'rotate':
        return withToken(await this.call('POST', `${keyPath(intent.keyId)}/rotate`, {}, headers));
      case 'update': {
        const body = await this.call<{ apiKey: ApiKey }>(
          'PATCH',
          keyPath(intent.keyId),
          intent.request,
          headers,
        );
        return { kind: 'key', apiKey: body.apiKey };
      }
      case 'delete':
        await this.call('DELETE', keyPath(intent.keyId), undefined, headers);
        return { kind: 'deleted' };
    }
  }

  private async call<T>(
    method: string,
    path: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.accessToken}`, ...extraHeaders };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      cache: 'no-store',
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (response.status === 204) return undefined as T;
    const parsed: unknown = await response.json().catch(() => undefined);
    if (response.status === 401) this.onUnauthorized();
    if (!response.ok) throw toApiError(response, parsed);
    // The body is the handler's own response type (the shapes above are imported from it).
    return parsed as T;
  }
}

function withToken(body: unknown): ActionResult {
  const { apiKey, token } = body as { apiKey: ApiKey; token: string };
  return { kind: 'token', apiKey, token };
}

function toApiError(response: Response, body: unknown): ApiError {
  const retryAfter = Number(response.headers.get('retry-after'));
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  const error =
    typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'object'
      ? body.error
      : undefined;
  const field = (name: string): unknown =>
    error !== null && error !== undefined && name in error ? Reflect.get(error, name) : undefined;
  const code = field('code');
  const message = field('message');
  // API Gateway's own answers (401 before any handler runs) carry only {message}.
  return new ApiError(
    response.status,
    typeof code === 'string' ? code : response.status === 401 ? 'unauthorized' : 'http_error',
    typeof message === 'string' ? message : `The API answered ${response.status}`,
    retryAfterSeconds,
    field('details'),
  );
}
