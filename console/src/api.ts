import {
  type Account,
  type ApiKey,
  createLatchkeyClient,
  expectOk,
  type LatchkeyClient,
  type operations,
  type Permission,
  type SentCode,
  verificationHeaders,
} from '../../client/index';

export { LatchkeyApiError as ApiError } from '../../client/index';
/**
 * The page's calls to the management API, over the project's typed client (`client/`, generated
 * from the OpenAPI description), so the page, the CLI and the handlers agree on every shape.
 */
export type { Account, ApiKey, Permission, SentCode };

/** One page of the audit log and the filters `GET /v1/audit-events` takes. */
export type EventPage = operations['listAuditEvents']['responses'][200]['content']['application/json'];
export type AuditEvent = EventPage['events'][number];
export type AuditEventType = AuditEvent['type'];
export interface EventFilters {
  readonly keyId?: string | undefined;
  readonly type?: AuditEventType | undefined;
}

type JsonBody<Operation extends keyof operations> = NonNullable<
  operations[Operation]['requestBody']
>['content']['application/json'];
export type CreateRequest = JsonBody<'createApiKey'>;
export type DuplicateRequest = JsonBody<'duplicateApiKey'>;
export type UpdateRequest = JsonBody<'updateApiKey'>;

export interface Proof {
  readonly verificationId: string;
  readonly code: string;
}

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

export interface KeyPage {
  readonly apiKeys: readonly ApiKey[];
  readonly nextCursor?: string | undefined;
}

export class ManagementApi {
  private readonly client: LatchkeyClient;

  constructor(
    /** The API's base URL; '' for the page's own origin. */
    baseUrl: string,
    accessToken: string,
    /** Called on a 401 (an expired or revoked session) before the error is thrown. */
    onUnauthorized: () => void = () => {},
  ) {
    this.client = createLatchkeyClient({
      baseUrl: baseUrl === '' ? window.location.origin : baseUrl,
      token: accessToken,
      fetch: async (request) => {
        const response = await fetch(request, { cache: 'no-store' });
        if (response.status === 401) onUnauthorized();
        return response;
      },
    });
  }

  account(): Promise<Account> {
    return expectOk(this.client.GET('/v1/account'));
  }

  async permissions(): Promise<readonly Permission[]> {
    return (await expectOk(this.client.GET('/v1/permissions'))).permissions;
  }

  listEvents(filters: EventFilters, cursor?: string, limit = 20): Promise<EventPage> {
    return expectOk(
      this.client.GET('/v1/audit-events', {
        params: { query: { limit, cursor, keyId: filters.keyId, type: filters.type } },
      }),
    );
  }

  listKeys(cursor?: string, limit = 20): Promise<KeyPage> {
    return expectOk(this.client.GET('/v1/api-keys', { params: { query: { limit, cursor } } }));
  }

  sendCode(intent: KeyAction): Promise<SentCode> {
    // A KeyAction is exactly the body of POST /v1/verifications: the action, the key, the request.
    return expectOk(this.client.POST('/v1/verifications', { body: intent }));
  }

  async perform(intent: KeyAction, proof: Proof): Promise<ActionResult> {
    const header = verificationHeaders(proof);
    switch (intent.action) {
      case 'create': {
        const issued = await expectOk(
          this.client.POST('/v1/api-keys', { params: { header }, body: intent.request }),
        );
        return { kind: 'token', ...issued };
      }
      case 'duplicate': {
        const issued = await expectOk(
          this.client.POST('/v1/api-keys/{keyId}/duplicate', {
            params: { header, path: { keyId: intent.keyId } },
            body: intent.request,
          }),
        );
        return { kind: 'token', ...issued };
      }
      case 'rotate': {
        const issued = await expectOk(
          this.client.POST('/v1/api-keys/{keyId}/rotate', {
            params: { header, path: { keyId: intent.keyId } },
          }),
        );
        return { kind: 'token', ...issued };
      }
      case 'update': {
        const updated = await expectOk(
          this.client.PATCH('/v1/api-keys/{keyId}', {
            params: { header, path: { keyId: intent.keyId } },
            body: intent.request,
          }),
        );
        return { kind: 'key', apiKey: updated.apiKey };
      }
      case 'delete':
        await expectOk(
          this.client.DELETE('/v1/api-keys/{keyId}', { params: { header, path: { keyId: intent.keyId } } }),
        );
        return { kind: 'deleted' };
    }
  }
}
