import { type ApiKey, expectOk, toApiError, verificationHeaders } from '../client';
import type { Context, Values } from './command-context';
import { keyFields, keyTable } from './render';
import { UsageError } from './usage-error';
import { confirm } from './verification-code';

/** `latchkey keys list`: one page, or every page with --all. */
export async function listKeys(context: Context): Promise<void> {
  const { values } = context;
  const { client } = await context.session();
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 100)) {
    throw new UsageError('--limit must be a whole number from 1 to 100');
  }
  const keys: ApiKey[] = [];
  let cursor = values.cursor;
  let nextCursor: string | undefined;
  do {
    const page = await expectOk(
      client.GET('/v1/api-keys', {
        params: {
          query: { ...(limit === undefined ? {} : { limit }), ...(cursor === undefined ? {} : { cursor }) },
        },
      }),
    );
    keys.push(...page.apiKeys);
    nextCursor = page.nextCursor;
    cursor = nextCursor;
  } while (values.all === true && nextCursor !== undefined);
  const more = nextCursor === undefined ? '' : `\nMore keys: latchkey keys list --cursor ${nextCursor}`;
  context.out(`${keyTable(keys)}${more}`, {
    apiKeys: keys,
    ...(nextCursor === undefined ? {} : { nextCursor }),
  });
}

export async function showKey(context: Context): Promise<void> {
  const { client } = await context.session();
  const { data, error, response } = await client.GET('/v1/api-keys/{keyId}', {
    params: { path: { keyId: context.keyId } },
  });
  if (data === undefined) throw toApiError(response, error);
  context.out(keyFields(data.apiKey, versionOf(response)), data);
}

export async function createKey(context: Context): Promise<void> {
  const { values } = context;
  if (values.name === undefined) throw new UsageError('keys create needs --name');
  const given = fieldsGiven(values);
  const request = { ...given, name: values.name, permissions: given.permissions ?? [] };
  const { client } = await context.session();
  const proof = await confirm(context, client, { action: 'create', request });
  if (proof === undefined) return;
  const body = await expectOk(
    client.POST('/v1/api-keys', { body: request, params: { header: verificationHeaders(proof) } }),
  );
  issued(context, 'Created', body);
}

export async function rotateKey(context: Context): Promise<void> {
  const { client } = await context.session();
  const keyId = context.keyId;
  const proof = await confirm(context, client, { action: 'rotate', keyId });
  if (proof === undefined) return;
  const body = await expectOk(
    client.POST('/v1/api-keys/{keyId}/rotate', {
      params: { path: { keyId }, header: { ...verificationHeaders(proof), ...ifMatch(context.values) } },
    }),
  );
  issued(context, 'Rotated (the old token no longer works)', body);
}

export async function duplicateKey(context: Context): Promise<void> {
  const { values } = context;
  if (values.name === undefined) throw new UsageError('keys duplicate needs --name for the new key');
  const request = { ...fieldsGiven(values), name: values.name };
  const { client } = await context.session();
  const keyId = context.keyId;
  const proof = await confirm(context, client, { action: 'duplicate', keyId, request });
  if (proof === undefined) return;
  const body = await expectOk(
    client.POST('/v1/api-keys/{keyId}/duplicate', {
      body: request,
      params: { path: { keyId }, header: verificationHeaders(proof) },
    }),
  );
  issued(context, `Duplicated ${keyId} as`, body);
}

export async function editKey(context: Context): Promise<void> {
  const { values } = context;
  const request = fieldsGiven(values);
  if (Object.keys(request).length === 0) {
    throw new UsageError('keys edit needs at least one of --name, --description, --permissions');
  }
  const header = ifMatch(values);
  const { client } = await context.session();
  const keyId = context.keyId;
  const proof = await confirm(context, client, { action: 'update', keyId, request });
  if (proof === undefined) return;
  const body = await expectOk(
    client.PATCH('/v1/api-keys/{keyId}', {
      body: request,
      params: { path: { keyId }, header: { ...verificationHeaders(proof), ...header } },
    }),
  );
  context.out(`Updated API key ${keyId}.\n${keyFields(body.apiKey)}`, body);
}

export async function deleteKey(context: Context): Promise<void> {
  const header = ifMatch(context.values);
  const { client } = await context.session();
  const keyId = context.keyId;
  const proof = await confirm(context, client, { action: 'delete', keyId });
  if (proof === undefined) return;
  await expectOk(
    client.DELETE('/v1/api-keys/{keyId}', {
      params: { path: { keyId }, header: { ...verificationHeaders(proof), ...header } },
    }),
  );
  context.out(`Deleted API key ${keyId}. Its token no longer works.`, { deleted: keyId });
}

/** Only the --name, --description and --permissions given: an absent option leaves that field alone. */
function fieldsGiven(values: Values): { name?: string; description?: string; permissions?: string[] } {
  const permissions =
    values.permissions
      ?.flatMap((list) => list.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '') ?? undefined;
  return {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.description === undefined ? {} : { description: values.description }),
    ...(permissions === undefined ? {} : { permissions }),
  };
}

function ifMatch(values: Values): { 'If-Match'?: string } {
  const version = values['if-match'];
  if (version === undefined) return {};
  const bare = version.replace(/^W\//, '').replace(/^"(.*)"$/, '$1');
  if (!/^\d+$/.test(bare)) throw new UsageError('--if-match must be a key version, such as 3');
  return { 'If-Match': `"${bare}"` };
}

function versionOf(response: Response): string | undefined {
  return response.headers.get('etag')?.replace(/^W\//, '').replace(/"/g, '') ?? undefined;
}

function issued(context: Context, verb: string, body: { apiKey: ApiKey; token: string }): void {
  context.out(
    [
      `${verb} API key ${body.apiKey.keyId}.`,
      keyFields(body.apiKey),
      '',
      'Token (shown once: store it now in your secret manager; Latchkey cannot show it again):',
      body.token,
    ].join('\n'),
    body,
  );
}
