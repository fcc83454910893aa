// Generated from docs/openapi.json by `npm run openapi`. Do not edit.

export interface paths {
    "/v1/account": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The signed-in user's account
         * @description The account id, the masked linked address and the sites.
         */
        get: operations["getAccount"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/permissions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The permission catalog */
        get: operations["listPermissions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the account's API keys
         * @description Newest first, one page at a time. Pass `nextCursor` back as `cursor` for the next page. Cursors are signed (HMAC) and bound to the caller's account and this list: an altered, forged or borrowed one is 400 `invalid_cursor`.
         */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Generate an API key
         * @description By default the key never expires, reaches every site of the account (including sites added later) from any address, with read and write access for each permission. The token is in this response only.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Show one API key */
        get: operations["getApiKey"];
        put?: never;
        post?: never;
        /**
         * Delete an API key
         * @description The token stops working at once; later calls about the key are 404.
         */
        delete: operations["deleteApiKey"];
        options?: never;
        head?: never;
        /**
         * Edit an API key
         * @description At least one of name, description, permissions, expiresAt, siteIds, allowedIps; `null` or `[]` lifts a limit. The token keeps working.
         */
        patch: operations["updateApiKey"];
        trace?: never;
    };
    "/v1/verifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Email a verification code for one change
         * @description Names the action, the key and the exact body the action will carry; `request` is validated with the schema the action uses, so a body the action would refuse is refused before any code is sent. The code is emailed to the account's linked address and confirms exactly this request, once, for 10 minutes.
         */
        post: operations["startVerification"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate an API key's token
         * @description Same key id, name, description, permissions and limits; a new token. The old one stops working at once, or after `gracePeriodSeconds` (never past the key's expiry); a second rotation ends an earlier grace period at once.
         */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/api-keys/{keyId}/duplicate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Duplicate an API key
         * @description A new key (new id and token); every field left out (permissions, description, expiresAt, siteIds, allowedIps) is copied from the source key; `null` or `[]` lifts a limit.
         */
        post: operations["duplicateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/audit-events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The account's audit log
         * @description Every key event and every verification event, newest first, one page at a time; filter by `keyId` and `type`. Cursors are signed and bound to the account and to the filters they were issued with: send the same `keyId` and `type` with a cursor, or get 400 `invalid_cursor`. Events are kept a year by default (the table's TTL removes them).
         */
        get: operations["listAuditEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/account/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The account's webhook */
        get: operations["getWebhook"];
        /**
         * Set the account's webhook
         * @description An https URL that receives every key event and expiry reminder, signed per Standard Webhooks. Replaces any earlier URL and secret; the new secret is in this response only.
         */
        put: operations["putWebhook"];
        post?: never;
        /** Remove the account's webhook */
        delete: operations["deleteWebhook"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/token-leaks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report leaked tokens (secret-scanning partner format)
         * @description Public: no JWT, but the raw body must be signed (ECDSA P-256 / SHA-256) by a reporter key the stack trusts. A live token's key is deleted at once and the account is mailed. See docs/secret-scanning.md.
         */
        post: operations["reportTokenLeak"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The sites of the key's account (sample protected API) */
        get: operations["listSites"];
        put?: never;
        /**
         * Add (or rename) a site of the key's account (sample protected API)
         * @description The account-level write of the sample API, under `accounts.manage`. Keys whose `siteIds` is `null` reach the new site at once.
         */
        post: operations["addSite"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/stores/products": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A site's products (sample protected API) */
        get: operations["listProducts"];
        put?: never;
        /** Add a product to a site's store (sample protected API) */
        post: operations["createProduct"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Account: {
            accountId: components["schemas"]["AccountId"];
            /** @description The linked address, masked: `j***@example.com`. */
            email: string;
            sites: components["schemas"]["Site"][];
        };
        /** @description What protected API callers send in `x-account-id`. */
        AccountId: string;
        Site: {
            siteId: string;
            name: string;
        };
        /** @description API Gateway's own answer, before or instead of a handler. */
        GatewayMessage: {
            message: string;
        };
        PermissionCatalog: {
            permissions: components["schemas"]["Permission"][];
        };
        Permission: {
            id: string;
            name: string;
            description: string;
            /**
             * @description `account`: acts on account-level data; `site`: a caller names one site per call.
             * @enum {string}
             */
            scope: "account" | "site";
            /** @description Always granted; cannot be removed from a key. */
            required: boolean;
            /** @description Whether a key may hold it read-only, as `<id>:read`. */
            offersReadOnly: boolean;
        };
        /** @description One page of keys, newest first. */
        ApiKeyPage: {
            apiKeys: components["schemas"]["ApiKey"][];
            /** @description Pass back unchanged as `cursor` for the next page (signed, bound to the account and this list); absent on the last page. */
            nextCursor?: string;
        };
        /** @description An API key. It never includes its token. */
        ApiKey: {
            keyId: components["schemas"]["KeyId"];
            name: string;
            /** @description `""` when none. */
            description: string;
            /** @description Grants: a permission id from `GET /v1/permissions` (read and write) or `<id>:read` (read only), normalised: required ones added, duplicates removed, catalog order. */
            permissions: string[];
            /** @description `null`: every site of the account, including sites added later; else the chosen sites. */
            siteIds: string[] | null;
            /** @description `null`: never expires. */
            expiresAt: string | null;
            /**
             * @description `expiring`: expires within 7 days.
             * @enum {string}
             */
            status: "active" | "expiring" | "expired";
            /** @description Canonical CIDR ranges the caller must call from; empty: any address. */
            allowedIps: string[];
            /** @description After a rotation with a grace period, when the replaced token stops working; else `null`. */
            graceEndsAt: string | null;
            /** Format: date-time */
            createdAt: string;
            /** Format: date-time */
            updatedAt: string;
            /** @description When the authorizer last accepted the key's token (updated every few minutes at most). */
            lastUsedAt: string | null;
        };
        /** @description 26 lowercase Crockford base32 characters, time-ordered. */
        KeyId: string;
        /** @description A key and its token; the only responses that carry a token. */
        IssuedApiKey: {
            apiKey: components["schemas"]["ApiKey"];
            token: components["schemas"]["Token"];
        };
        /** @description The API key token, `lk_<keyId>_<secret><checksum>`. Shown once: Latchkey stores only an HMAC of it. */
        Token: string;
        ApiKeyEnvelope: {
            apiKey: components["schemas"]["ApiKey"];
        };
        SentCode: {
            /** @description Send it back in `X-Verification-Id` with the action. */
            verificationId: string;
            /** @description The masked address the code was emailed to. */
            sentTo: string;
            /** Format: date-time */
            expiresAt: string;
        };
        /** @description One page of events, newest first. */
        AuditEventPage: {
            events: components["schemas"]["AuditEvent"][];
            /** @description Pass back unchanged as `cursor`, with the same filters, for the next page (signed, bound to the account, this list and its filters); absent on the last page. */
            nextCursor?: string;
        };
        /** @description One audit event. Never a token, code, hash or pepper. */
        AuditEvent: {
            /** @description Time-ordered; events sort newest first by id. */
            eventId: components["schemas"]["KeyId"];
            /** @enum {string} */
            type: "key.created" | "key.rotated" | "key.duplicated" | "key.updated" | "key.deleted" | "key.revoked_leak" | "verification.sent" | "verification.failed" | "verification.locked";
            /** Format: date-time */
            occurredAt: string;
            /** @description `null` when no member acted (a leak report). */
            member: {
                userId: string;
                /** @description Masked, from the sign-in token when it has one. */
                email: string | null;
            } | null;
            keyId: components["schemas"]["KeyId"] | null;
            keyName: string | null;
            /** @description Before and after for edits; after for new keys; before for deletions; `null` when a leak report ended a grace period (no visible field changed). */
            changes: {
                /** @description A key's shown fields: name, description, permissions and policies. Never a token or digest. */
                before?: {
                    [key: string]: unknown;
                };
                /** @description A key's shown fields: name, description, permissions and policies. Never a token or digest. */
                after?: {
                    [key: string]: unknown;
                };
            } | null;
            source: {
                ip: string | null;
                userAgent: string | null;
            };
            requestId: string | null;
            /** @description The verified action; for `key.revoked_leak`, where the token was found (`url`, `source`, `tokenType`) and which token was revoked (`revokedToken`: `current` or `previous`). Never a secret. */
            details: {
                [key: string]: string | number;
            } | null;
        };
        WebhookEnvelope: {
            webhook: components["schemas"]["Webhook"];
        };
        /** @description The account's webhook. Never its secret. */
        Webhook: {
            url: string;
            /** Format: date-time */
            createdAt: string;
        };
        WebhookCreated: {
            webhook: components["schemas"]["Webhook"];
            /** @description The Standard Webhooks signing secret. Shown in this response only. */
            secret: string;
        };
        /** @description GitHub's feedback array: one element per reported token, in order. */
        LeakFeedback: {
            token_raw: string;
            token_type: string;
            /** @enum {string} */
            label: "true_positive" | "false_positive";
        }[];
        SiteList: {
            sites: components["schemas"]["Site"][];
        };
        ProductList: {
            products: components["schemas"]["Product"][];
        };
        Product: {
            productId: components["schemas"]["KeyId"];
            siteId: string;
            name: string;
            priceCents: number;
            currency: string;
            /** Format: date-time */
            createdAt: string;
        };
        ProductEnvelope: {
            product: components["schemas"]["Product"];
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The account. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    listPermissions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every permission a key can hold. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PermissionCatalog"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of keys. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyPage"];
                };
            };
            /**
             * @description - `invalid_cursor`: A cursor this list did not return for this account and these filters: malformed, altered, forged, signed under a retired pepper, or issued to another account or list (`details.reason`: `malformed`, `bad_signature` or `unknown_key`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_cursor" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header: {
                "X-Verification-Id": string;
                "X-Verification-Code": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    permissions: string[];
                    expiresAt?: string | null;
                    siteIds?: string[] | null;
                    allowedIps?: string[];
                };
            };
        };
        responses: {
            /** @description The new key and its token. */
            201: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    /** @description The key's version, `"<n>"`; send it back in `If-Match`. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKey"];
                };
            };
            /**
             * @description - `invalid_expiry`: `expiresAt` is not later than now.
             *     - `invalid_json`: The body is not JSON.
             *     - `unknown_permission`: Permission ids not in the catalog, unknown access levels, or `:read` where not offered, all named in `details.unknownPermissions`.
             *     - `unknown_site`: `siteIds` names sites not in the account (`details.unknownSites`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_expiry" | "invalid_json" | "unknown_permission" | "unknown_site" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `no_account`: The signed-in user belongs to no account.
             *     - `verification_exhausted`: The code took 5 wrong tries.
             *     - `verification_expired`: The code is older than 10 minutes.
             *     - `verification_failed`: A wrong code (`details.triesLeft`), or a code that does not confirm this request.
             *     - `verification_used`: The code was already spent.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account" | "verification_exhausted" | "verification_expired" | "verification_failed" | "verification_used";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "member_locked";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    getApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The key id. A malformed id is answered exactly like an unknown one (404). */
                keyId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    /** @description The key's version, `"<n>"`; send it back in `If-Match`. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyEnvelope"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    deleteApiKey: {
        parameters: {
            query?: never;
            header: {
                "X-Verification-Id": string;
                "X-Verification-Code": string;
                "If-Match"?: string;
            };
            path: {
                /** @description The key id. A malformed id is answered exactly like an unknown one (404). */
                keyId: string;
            };
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody?: {
            content: {
                "application/json": Record<string, never>;
            };
        };
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `no_account`: The signed-in user belongs to no account.
             *     - `verification_exhausted`: The code took 5 wrong tries.
             *     - `verification_expired`: The code is older than 10 minutes.
             *     - `verification_failed`: A wrong code (`details.triesLeft`), or a code that does not confirm this request.
             *     - `verification_used`: The code was already spent.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account" | "verification_exhausted" | "verification_expired" | "verification_failed" | "verification_used";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `version_conflict`: The key changed between read and write. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "version_conflict";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `precondition_failed`: `If-Match` names a version the key is no longer at. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "precondition_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "member_locked";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    updateApiKey: {
        parameters: {
            query?: never;
            header: {
                "X-Verification-Id": string;
                "X-Verification-Code": string;
                "If-Match"?: string;
            };
            path: {
                /** @description The key id. A malformed id is answered exactly like an unknown one (404). */
                keyId: string;
            };
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    name?: string;
                    description?: string;
                    permissions?: string[];
                    expiresAt?: string | null;
                    siteIds?: string[] | null;
                    allowedIps?: string[];
                };
            };
        };
        responses: {
            /** @description The edited key. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    /** @description The key's version, `"<n>"`; send it back in `If-Match`. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyEnvelope"];
                };
            };
            /**
             * @description - `invalid_expiry`: `expiresAt` is not later than now.
             *     - `invalid_json`: The body is not JSON.
             *     - `unknown_permission`: Permission ids not in the catalog, unknown access levels, or `:read` where not offered, all named in `details.unknownPermissions`.
             *     - `unknown_site`: `siteIds` names sites not in the account (`details.unknownSites`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_expiry" | "invalid_json" | "unknown_permission" | "unknown_site" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `no_account`: The signed-in user belongs to no account.
             *     - `verification_exhausted`: The code took 5 wrong tries.
             *     - `verification_expired`: The code is older than 10 minutes.
             *     - `verification_failed`: A wrong code (`details.triesLeft`), or a code that does not confirm this request.
             *     - `verification_used`: The code was already spent.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account" | "verification_exhausted" | "verification_expired" | "verification_failed" | "verification_used";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `version_conflict`: The key changed between read and write. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "version_conflict";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `precondition_failed`: `If-Match` names a version the key is no longer at. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "precondition_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "member_locked";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    startVerification: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    /** @constant */
                    action: "create";
                    request: {
                        name: string;
                        description?: string;
                        permissions: string[];
                        expiresAt?: string | null;
                        siteIds?: string[] | null;
                        allowedIps?: string[];
                    };
                } | {
                    /** @constant */
                    action: "rotate";
                    keyId: string;
                    request?: {
                        gracePeriodSeconds?: number;
                    };
                } | {
                    /** @constant */
                    action: "duplicate";
                    keyId: string;
                    request: {
                        name: string;
                        description?: string;
                        permissions?: string[];
                        expiresAt?: string | null;
                        siteIds?: string[] | null;
                        allowedIps?: string[];
                    };
                } | {
                    /** @constant */
                    action: "update";
                    keyId: string;
                    request: {
                        name?: string;
                        description?: string;
                        permissions?: string[];
                        expiresAt?: string | null;
                        siteIds?: string[] | null;
                        allowedIps?: string[];
                    };
                } | {
                    /** @constant */
                    action: "delete";
                    keyId: string;
                    request?: Record<string, never>;
                };
            };
        };
        responses: {
            /** @description A code was sent. */
            201: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SentCode"];
                };
            };
            /**
             * @description - `invalid_expiry`: `expiresAt` is not later than now.
             *     - `invalid_json`: The body is not JSON.
             *     - `unknown_permission`: Permission ids not in the catalog, unknown access levels, or `:read` where not offered, all named in `details.unknownPermissions`.
             *     - `unknown_site`: `siteIds` names sites not in the account (`details.unknownSites`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_expiry" | "invalid_json" | "unknown_permission" | "unknown_site" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `busy`: Too many code requests for the account at the same instant; try again. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "busy";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `mailbox_limit`: Non-owner members asked for 20 codes within 15 minutes (`Retry-After`).
             *     - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`).
             *     - `too_many_codes`: A member's 6th code within 15 minutes (`Retry-After`).
             */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "mailbox_limit" | "member_locked" | "too_many_codes";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `code_not_sent`: The mail service refused the code (`Retry-After`). */
            503: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "code_not_sent";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header: {
                "X-Verification-Id": string;
                "X-Verification-Code": string;
                "If-Match"?: string;
            };
            path: {
                /** @description The key id. A malformed id is answered exactly like an unknown one (404). */
                keyId: string;
            };
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody?: {
            content: {
                "application/json": {
                    gracePeriodSeconds?: number;
                };
            };
        };
        responses: {
            /** @description The key and its new token. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    /** @description The key's version, `"<n>"`; send it back in `If-Match`. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKey"];
                };
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `no_account`: The signed-in user belongs to no account.
             *     - `verification_exhausted`: The code took 5 wrong tries.
             *     - `verification_expired`: The code is older than 10 minutes.
             *     - `verification_failed`: A wrong code (`details.triesLeft`), or a code that does not confirm this request.
             *     - `verification_used`: The code was already spent.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account" | "verification_exhausted" | "verification_expired" | "verification_failed" | "verification_used";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `version_conflict`: The key changed between read and write. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "version_conflict";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `precondition_failed`: `If-Match` names a version the key is no longer at. */
            412: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "precondition_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "member_locked";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    duplicateApiKey: {
        parameters: {
            query?: never;
            header: {
                "X-Verification-Id": string;
                "X-Verification-Code": string;
            };
            path: {
                /** @description The key id. A malformed id is answered exactly like an unknown one (404). */
                keyId: string;
            };
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    description?: string;
                    permissions?: string[];
                    expiresAt?: string | null;
                    siteIds?: string[] | null;
                    allowedIps?: string[];
                };
            };
        };
        responses: {
            /** @description The new key and its token. */
            201: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    /** @description The key's version, `"<n>"`; send it back in `If-Match`. */
                    ETag: string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IssuedApiKey"];
                };
            };
            /**
             * @description - `invalid_expiry`: `expiresAt` is not later than now.
             *     - `invalid_json`: The body is not JSON.
             *     - `unknown_permission`: Permission ids not in the catalog, unknown access levels, or `:read` where not offered, all named in `details.unknownPermissions`.
             *     - `unknown_site`: `siteIds` names sites not in the account (`details.unknownSites`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_expiry" | "invalid_json" | "unknown_permission" | "unknown_site" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `no_account`: The signed-in user belongs to no account.
             *     - `verification_exhausted`: The code took 5 wrong tries.
             *     - `verification_expired`: The code is older than 10 minutes.
             *     - `verification_failed`: A wrong code (`details.triesLeft`), or a code that does not confirm this request.
             *     - `verification_used`: The code was already spent.
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account" | "verification_exhausted" | "verification_expired" | "verification_failed" | "verification_used";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `member_locked`: This member's 100 consecutive code failures; locked for an hour (`Retry-After`). */
            429: {
                headers: {
                    /** @description Seconds to wait before trying again. */
                    "Retry-After": string;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "member_locked";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    listAuditEvents: {
        parameters: {
            query?: {
                keyId?: string;
                type?: "key.created" | "key.rotated" | "key.duplicated" | "key.updated" | "key.deleted" | "key.revoked_leak" | "verification.sent" | "verification.failed" | "verification.locked";
                limit?: number;
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of events. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditEventPage"];
                };
            };
            /**
             * @description - `invalid_cursor`: A cursor this list did not return for this account and these filters: malformed, altered, forged, signed under a retired pepper, or issued to another account or list (`details.reason`: `malformed`, `bad_signature` or `unknown_key`).
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_cursor" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The webhook URL; never its secret. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookEnvelope"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    putWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    url: string;
                };
            };
        };
        responses: {
            /** @description The webhook and its secret. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookCreated"];
                };
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `invalid_webhook_url`: A webhook URL that is not https, or points at a private, loopback or link-local address.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "invalid_webhook_url" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    deleteWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed; nothing more is delivered. */
            204: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content?: never;
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway refused the bearer token (missing, expired, wrong issuer or audience).
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `no_account`: The signed-in user belongs to no account. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "no_account";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    reportTokenLeak: {
        parameters: {
            query?: never;
            header: {
                /** @description Names the reporter public key (of `LATCHKEY_LEAK_REPORTER_KEYS`) that signed the body. */
                "Github-Public-Key-Identifier": string;
                /** @description Base64 DER ECDSA P-256 / SHA-256 signature of the raw body. */
                "Github-Public-Key-Signature": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 64 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    token: string;
                    type: string;
                    /** @default  */
                    url?: string;
                    /** @default  */
                    source?: string;
                }[];
            };
        };
        responses: {
            /** @description The feedback array. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeakFeedback"];
                };
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `too_many_tokens`: A leak report naming more than 100 tokens.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "too_many_tokens" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /** @description - `unauthorized`: No verified caller. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    listSites: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The sites. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteList"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway found no `Authorization` or no `x-account-id` header.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `missing_permission`: The API key lacks the permission the route needs.
             *     - `{"message": ...}`: The Latchkey authorizer refused the key (unknown, revoked, wrong account or site, or lacking the permission).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "missing_permission";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `not_found`: No such key in the caller's account (another account's key is reported the same way). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "not_found";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    addSite: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    siteId: string;
                    name: string;
                };
            };
        };
        responses: {
            /** @description The account's sites. */
            201: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SiteList"];
                };
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway found no `Authorization` or no `x-account-id` header.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `missing_permission`: The API key lacks the permission the route needs.
             *     - `read_only_key`: The API key holds the route's permission read-only.
             *     - `{"message": ...}`: The Latchkey authorizer refused the key (unknown, revoked, wrong account or site, or lacking the permission).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "missing_permission" | "read_only_key";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    listProducts: {
        parameters: {
            query?: never;
            header: {
                /** @description One of the account's sites; the authorizer checks it belongs to the key's account. */
                "x-site-id": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The site's products, oldest first. */
            200: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductList"];
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway found no `Authorization` or no `x-account-id` header.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `missing_permission`: The API key lacks the permission the route needs.
             *     - `missing_site`: A site-level route was called without `x-site-id`.
             *     - `{"message": ...}`: The Latchkey authorizer refused the key (unknown, revoked, wrong account or site, or lacking the permission).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "missing_permission" | "missing_site";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
    createProduct: {
        parameters: {
            query?: never;
            header: {
                /** @description One of the account's sites; the authorizer checks it belongs to the key's account. */
                "x-site-id": string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description JSON, at most 16 KiB. */
        requestBody: {
            content: {
                "application/json": {
                    name: string;
                    priceCents: number;
                    currency: string;
                };
            };
        };
        responses: {
            /** @description The new product. */
            201: {
                headers: {
                    /** @description Never cached: a token is shown once. */
                    "Cache-Control": "no-store";
                    "X-Content-Type-Options": "nosniff";
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProductEnvelope"];
                };
            };
            /**
             * @description - `invalid_json`: The body is not JSON.
             *     - `validation_failed`: A body, query or header is not what the route takes; `details.issues` names each problem.
             */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "invalid_json" | "validation_failed";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `unauthorized`: No verified caller.
             *     - `{"message": ...}`: API Gateway found no `Authorization` or no `x-account-id` header.
             */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unauthorized";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `missing_permission`: The API key lacks the permission the route needs.
             *     - `missing_site`: A site-level route was called without `x-site-id`.
             *     - `read_only_key`: The API key holds the route's permission read-only.
             *     - `{"message": ...}`: The Latchkey authorizer refused the key (unknown, revoked, wrong account or site, or lacking the permission).
             */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "missing_permission" | "missing_site" | "read_only_key";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /**
             * @description - `payload_too_large`: The body is over 16 KiB.
             *     - `{"message": ...}`: The body is over API Gateway's own limit.
             */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "payload_too_large";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
            /** @description - `unsupported_media_type`: A body that is not `application/json`. */
            415: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "unsupported_media_type";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    };
                };
            };
            /**
             * @description - `internal_error`: Anything unexpected; details only in the log.
             *     - `{"message": ...}`: The function crashed or timed out.
             */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            /** @enum {string} */
                            code: "internal_error";
                            /** @description Meant for people; may change. */
                            message: string;
                            details?: {
                                [key: string]: unknown;
                            };
                        };
                    } | components["schemas"]["GatewayMessage"];
                };
            };
        };
    };
}
