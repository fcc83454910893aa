import * as z from 'zod';
import description from '../docs/openapi.json' with { type: 'json' };
import type { AccountDirectory } from '../shared/domain/onboarding';
import type { LocalRequest } from './gateway';
import { type GatewayResponse, gatewayMessage } from './http-io';
import type { LocalIssuer } from './issuer';

/**
 * Routes that exist only on a laptop, never in the route table and never deployed:
 *   GET /local/dev-token[?account=ID]        a one-hour JWT for that account's owner
 *   GET /local/inbox                         what the local SES has received, newest first
 *   GET /local/.well-known/jwks.json         the local issuer's public key (as an IdP publishes it)
 *   GET /local/.well-known/openid-configuration
 *   GET /openapi.json                        the OpenAPI description of both APIs (docs/openapi.json)
 * The inbox holds verification codes: showing them is its whole purpose, and why it is local only.
 */
export interface LocalRoutesOptions {
  readonly issuer: LocalIssuer;
  readonly directory: AccountDirectory;
  /** The account dev-token picks when none is named. */
  readonly defaultAccountId: () => Promise<string | undefined>;
  /** Base URL of aws-ses-v2-local. */
  readonly sesUrl: string;
}

export interface InboxEmail {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly sentAt: string;
}

const sesStoreSchema = z.object({
  emails: z.array(
    z.object({
      destination: z.object({ to: z.array(z.string()).optional() }).optional(),
      subject: z.string().optional(),
      body: z.object({ text: z.string().optional(), html: z.string().optional() }).optional(),
      at: z.number(),
    }),
  ),
});

export function localRoutes(options: LocalRoutesOptions) {
  return async (request: LocalRequest): Promise<GatewayResponse | undefined> => {
    if (request.path === '/openapi.json' && request.method === 'GET') return ok(description);
    if (!request.path.startsWith('/local/') && request.path !== '/local') return undefined;
    if (request.method !== 'GET') return gatewayMessage(404, 'Not Found');
    switch (request.path) {
      case '/local/dev-token':
        return devToken(options, request.query.get('account') ?? undefined);
      case '/local/inbox':
        return ok({ emails: await readInbox(options.sesUrl) });
      case '/local/.well-known/jwks.json':
        return ok(options.issuer.jwks());
      case '/local/.well-known/openid-configuration':
        return ok(options.issuer.openIdConfiguration());
      default:
        return gatewayMessage(404, 'Not Found');
    }
  };
}

async function devToken(
  options: LocalRoutesOptions,
  requested: string | undefined,
): Promise<GatewayResponse> {
  const accounts = await options.directory.listAccounts();
  const accountId = requested ?? (await options.defaultAccountId()) ?? accounts[0]?.accountId;
  const account = accounts.find((a) => a.accountId === accountId);
  if (account === undefined) {
    return errorJson(404, 'not_found', `No account ${accountId ?? ''}`.trim());
  }
  const members = await options.directory.listMembers(account.accountId);
  const owner = members.find((m) => m.role === 'owner') ?? members[0];
  if (owner === undefined) {
    return errorJson(404, 'no_member', `Account ${account.accountId} has no member to sign in as`);
  }
  // The owner signs in with the account's address, as an IdP's token would say (the audit log masks it).
  const token = await options.issuer.issue(owner.userId, { email: account.email });
  return ok({
    token,
    accountId: account.accountId,
    userId: owner.userId,
    accounts: accounts.map((a) => ({ accountId: a.accountId, email: a.email })),
  });
}

export async function readInbox(sesUrl: string): Promise<InboxEmail[]> {
  const response = await fetch(`${sesUrl}/store`);
  if (!response.ok) throw new Error(`The local SES store answered ${response.status}`);
  const store = sesStoreSchema.parse(await response.json());
  return store.emails
    .map((email, index) => ({ email, index }))
    .sort((a, b) => b.email.at - a.email.at || b.index - a.index)
    .map(({ email }) => ({
      to: (email.destination?.to ?? []).join(', '),
      subject: email.subject ?? '',
      text: email.body?.text ?? stripTags(email.body?.html ?? ''),
      sentAt: new Date(email.at * 1000).toISOString(),
    }));
}

function stripTags(html: string): string {
  return html
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function ok(body: unknown): GatewayResponse {
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify(body),
  };
}

function errorJson(statusCode: number, code: string, message: string): GatewayResponse {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
    body: JSON.stringify({ error: { code, message } }),
  };
}
