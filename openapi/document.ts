import * as z from 'zod';
import { createDocument, type ZodOpenApiOperationObject } from 'zod-openapi';
import packageJson from '../package.json' with { type: 'json' };
import { SITE_ID_PATTERN } from '../shared/domain/accounts';
import { KEY_ID_PATTERN } from '../shared/domain/ids';
import { routeAccess } from '../shared/domain/protected-routes';
import { proofSchema } from '../shared/http/preconditions';
import { MAX_BODY_BYTES } from '../shared/http/request';
import { ROUTES, type RouteDefinition } from '../shared/routes';
import { errorResponses } from './error-responses';
import { ROUTE_CONTRACTS } from './route-contracts';

/**
 * The OpenAPI 3.1 description of both APIs, built from the route table (methods, paths, who may
 * call) and the route contracts (the handlers' own zod schemas). `npm run openapi` writes it to
 * docs/openapi.json; a test fails when the checked-in copy is stale.
 */
export const SECURITY_SCHEMES = {
  /** The management API: API Gateway's JWT authorizer (Cognito, or the local issuer). */
  userJwt: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description:
      'An access or ID token from the configured OpenID Connect issuer (Cognito when deployed, the local issuer under `npm start`). The handler reads the subject (`sub`) and acts for the account recorded for that user.',
  },
  /** The protected API: the Latchkey token, checked by the Latchkey Lambda authorizer. */
  apiKey: {
    type: 'apiKey',
    in: 'header',
    name: 'Authorization',
    description: 'The API key token, as `<token>` or `Bearer <token>`. Sent together with `x-account-id`.',
  },
  reporterSignature: {
    type: 'apiKey',
    in: 'header',
    name: 'Github-Public-Key-Signature',
    description:
      'Leak reports: the base64 DER ECDSA P-256 / SHA-256 signature of the raw body by the reporter key that `Github-Public-Key-Identifier` names.',
  },
  accountId: {
    type: 'apiKey',
    in: 'header',
    name: 'x-account-id',
    description: "The key's account id (`GET /v1/account`); the authorizer refuses a key of another account.",
  },
} as const;

/** Every handler response carries these: a token is shown once, so nothing may be cached. */
const securityHeaders = {
  'Cache-Control': z.literal('no-store').meta({ description: 'Never cached: a token is shown once.' }),
  'X-Content-Type-Options': z.literal('nosniff'),
};
const etagHeader = z
  .string()
  .regex(/^"\d+"$/)
  .meta({ description: 'The key\'s version, `"<n>"`; send it back in `If-Match`.' });
const keyIdParam = z.object({
  keyId: z.string().meta({
    description: 'The key id. A malformed id is answered exactly like an unknown one (404).',
    examples: ['01jq3v6m9x8k2c4n7p5r1s0t2w'],
    pattern: KEY_ID_PATTERN.source,
  }),
});

const ifMatchHeader = z.string().meta({
  description:
    'The `ETag` you last saw, `"<version>"` (or `*`). A key that changed since is refused with 412 before the code is spent.',
  examples: ['"3"'],
});

const reporterHeaders = {
  'Github-Public-Key-Identifier': z.string().meta({
    description: 'Names the reporter public key (of `LATCHKEY_LEAK_REPORTER_KEYS`) that signed the body.',
  }),
  'Github-Public-Key-Signature': z.string().meta({
    description: 'Base64 DER ECDSA P-256 / SHA-256 signature of the raw body.',
  }),
};

const siteHeader = z.string().regex(SITE_ID_PATTERN).meta({
  description: "One of the account's sites; the authorizer checks it belongs to the key's account.",
});

function operation(route: RouteDefinition): ZodOpenApiOperationObject {
  const contract = ROUTE_CONTRACTS[route.id as keyof typeof ROUTE_CONTRACTS];
  const headers: Record<string, z.ZodType> = {};
  if (contract.verified === true) Object.assign(headers, proofSchema.shape);
  if (contract.ifMatch === true) headers['If-Match'] = ifMatchHeader.optional();
  if (route.auth.kind === 'apiKey' && route.auth.scope === 'site') headers['x-site-id'] = siteHeader;
  if (route.auth.kind === 'signature') Object.assign(headers, reporterHeaders);

  const success = contract.success;
  const successHeaders: Record<string, z.ZodType> = { ...securityHeaders };
  if (success.etag === true) successHeaders.ETag = etagHeader;

  return {
    operationId: camel(route.id),
    summary: contract.summary,
    ...(contract.description === undefined ? {} : { description: contract.description }),
    tags: [route.api],
    security:
      route.auth.kind === 'jwt'
        ? [{ userJwt: [] }]
        : route.auth.kind === 'signature'
          ? [{ reporterSignature: [] }]
          : [{ apiKey: [], accountId: [] }],
    ...(route.auth.kind === 'apiKey'
      ? {
          'x-latchkey-permission': {
            permission: route.auth.permission,
            scope: route.auth.scope,
            access: routeAccess({ method: route.method, access: route.auth.access }),
          },
        }
      : {}),
    requestParams: {
      ...(route.path.includes('{keyId}') ? { path: keyIdParam } : {}),
      ...(contract.query === undefined ? {} : { query: contract.query }),
      ...(Object.keys(headers).length === 0 ? {} : { header: z.object(headers) }),
    },
    ...(contract.body === undefined
      ? {}
      : {
          requestBody: {
            required: contract.bodyOptional !== true,
            description: `JSON, at most ${(contract.maxBodyBytes ?? MAX_BODY_BYTES) / 1024} KiB.`,
            content: { 'application/json': { schema: contract.body } },
          },
        }),
    responses: {
      [String(success.status)]: {
        description: success.description,
        headers: z.object(successHeaders),
        ...(success.body === undefined ? {} : { content: { 'application/json': { schema: success.body } } }),
      },
      ...errorResponses(route, contract),
    },
  };
}

function camel(id: string): string {
  return id.charAt(0).toLowerCase() + id.slice(1);
}

export function buildOpenApiDocument(): ReturnType<typeof createDocument> {
  const paths: Record<string, Record<string, ZodOpenApiOperationObject>> = {};
  for (const route of ROUTES) {
    const item = paths[route.path] ?? {};
    item[route.method.toLowerCase()] = operation(route);
    paths[route.path] = item;
  }
  return createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Latchkey',
      version: packageJson.version,
      description: [
        'Account-level API keys with permission sets and emailed verification codes.',
        '',
        '- The **management** API (tag `management`) is what an account admin calls with a user JWT: read keys, and generate, rotate, duplicate, edit and delete them, each change confirmed by a 6-digit code emailed to the account.',
        '- The **protected** API (tag `protected`) is the sample API guarded by the Latchkey authorizer: callers send an API key token and `x-account-id` (and `x-site-id` for site-level routes).',
        '',
        'When deployed the two are separate API Gateway APIs with their own URLs; `npm start` serves both on one origin. The readable guide is docs/api.md.',
      ].join('\n'),
      license: { name: packageJson.license, identifier: packageJson.license },
    },
    servers: [{ url: 'http://127.0.0.1:3000', description: 'Local mode (`npm start`)' }],
    tags: [
      {
        name: 'management',
        description: "The management API: a signed-in user looks after the account's keys.",
      },
      { name: 'protected', description: 'The sample protected API, guarded by the Latchkey authorizer.' },
    ],
    paths,
    components: {
      securitySchemes: SECURITY_SCHEMES,
    },
  });
}
