import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import {
  type ApiKey,
  createLatchkeyClient,
  expectOk,
  LatchkeyApiError,
  type LatchkeyClient,
  type paths,
  toApiError,
  verificationHeaders,
} from '../client';
import { executedDirectly } from '../local/executed-directly';
import { CredentialStore, configDir, type Profile } from './credentials';
import { fields, keyFields, keyTable, permissionTable, table } from './render';
import { describeNetworkError, discoverIssuer, SignInError, signInWithBrowser } from './sign-in';
import { CODE_FORMAT, readCode } from './verification-code';

/**
 * `latchkey`: the command-line tool for the management API (through the typed client) and, under
 * `latchkey admin`, the operator's commands. Human output by default, `--json` for scripts.
 * Exit codes: 0 done, 1 refused or failed (the API's message and code are printed), 2 bad usage.
 */
export const USAGE = `Usage: latchkey <command> [options]

Sign-in
  login [--token <jwt>] [--issuer <url> --client-id <id>] [--no-browser]
                          Sign in in your browser (authorization code + PKCE, loopback redirect),
                          or save a token you already have (--token, or LATCHKEY_TOKEN).
  logout                  Forget the saved sign-in.

Reading
  account show            The account: id, linked email (masked), sites.
  permissions list        The permission catalog.
  keys list [--limit <n>] [--cursor <c>] [--all]
  keys show <keyId>

Changing keys (each asks for a code, emailed to the account's address, then reads it)
  keys create --name <name> [--description <text>] [--permissions <id,id>]
  keys rotate <keyId> [--if-match <version>]
  keys duplicate <keyId> --name <name> [--description <text>] [--permissions <id,id>]
  keys edit <keyId> [--name <name>] [--description <text>] [--permissions <id,id>] [--if-match <version>]
  keys delete <keyId> [--if-match <version>]
    The code is read from the terminal, or from the first line of standard input when that is not a
    terminal. For two-step scripts: --request-code sends the code and prints its verification id;
    run the command again with --verification-id <id> --code <code>.

Operators
  admin <command> ...     Accounts, emails, sites and members (latchkey admin --help).

Options
  --api <url>             The API (else LATCHKEY_API, else the saved sign-in's API).
  --profile <name>        Which saved sign-in to use. Default: default.
  --json                  Machine-readable output (errors too, on stderr).
  -h, --help              This help.

Sign-ins are saved in ${'$'}LATCHKEY_CONFIG_DIR or the user's config directory (mode 0600).
Exit codes: 0 done, 1 refused or failed, 2 bad usage.
`;

export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

class UsageError extends Error {}
/** Something the user can fix that is not bad usage: not signed in, sign-in expired. */
class CliRefusal extends Error {}

const OPTIONS = {
  api: { type: 'string' },
  profile: { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  token: { type: 'string' },
  issuer: { type: 'string' },
  'client-id': { type: 'string' },
  'no-browser': { type: 'boolean' },
  limit: { type: 'string' },
  cursor: { type: 'string' },
  all: { type: 'boolean' },
  name: { type: 'string' },
  description: { type: 'string' },
  permissions: { type: 'string', multiple: true },
  'if-match': { type: 'string' },
  code: { type: 'string' },
  'verification-id': { type: 'string' },
  'request-code': { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parse>['values'];

function parse(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

const GLOBAL = ['api', 'profile', 'json', 'help'];
const CONFIRM = ['code', 'verification-id', 'request-code'];

interface Command {
  readonly options: readonly string[];
  /** How many positional arguments (a key id) the command takes. */
  readonly keyId?: boolean;
  run(context: Context): Promise<void>;
}

interface Context {
  readonly io: CliIo;
  readonly values: Values;
  readonly keyId: string;
  readonly store: CredentialStore;
  readonly profileName: string;
  out(human: string, json: unknown): void;
  session(): Promise<{ api: string; client: LatchkeyClient }>;
}

const COMMANDS: Readonly<Record<string, Command>> = {
  login: { options: ['token', 'issuer', 'client-id', 'no-browser'], run: login },
  logout: { options: [], run: logout },
  'account show': {
    options: [],
    run: async (context) => {
      const { client } = await context.session();
      const account = await expectOk(client.GET('/v1/account'));
      const sites =
        account.sites.length === 0
          ? '(none)'
          : table(
              ['SITE', 'NAME'],
              account.sites.map((s) => [s.siteId, s.name]),
            );
      context.out(
        `${fields([
          ['Account ID', account.accountId],
          ['Email', account.email],
        ])}\n\nSites:\n${sites}`,
        account,
      );
    },
  },
  'permissions list': {
    options: [],
    run: async (context) => {
      const { client } = await context.session();
      const catalog = await expectOk(client.GET('/v1/permissions'));
      context.out(permissionTable(catalog.permissions), catalog);
    },
  },
  'keys list': { options: ['limit', 'cursor', 'all'], run: listKeys },
  'keys show': {
    options: [],
    keyId: true,
    run: async (context) => {
      const { client } = await context.session();
      const { data, error, response } = await client.GET('/v1/api-keys/{keyId}', {
        params: { path: { keyId: context.keyId } },
      });
      if (data === undefined) throw toApiError(response, error);
      context.out(keyFields(data.apiKey, versionOf(response)), data);
    },
  },
  'keys create': { options: ['name', 'description', 'permissions', ...CONFIRM], run: createKey },
  'keys rotate': { options: ['if-match', ...CONFIRM], keyId: true, run: rotateKey },
  'keys duplicate': {
    options: ['name', 'description', 'permissions', ...CONFIRM],
    keyId: true,
    run: duplicateKey,
  },
  'keys edit': {
    options: ['name', 'description', 'permissions', 'if-match', ...CONFIRM],
    keyId: true,
    run: editKey,
  },
  'keys delete': { options: ['if-match', ...CONFIRM], keyId: true, run: deleteKey },
};

/** Runs one command line; resolves to the exit code. Never throws, never prints a stack. */
export async function runLatchkey(argv: readonly string[], io: CliIo): Promise<number> {
  const print = (stream: Writable, text: string) => stream.write(text.endsWith('\n') ? text : `${text}\n`);
  if (argv[0] === 'admin') {
    // Loaded on demand: it brings the AWS SDK, which no other command needs.
    const { runAdmin } = await import('./admin');
    return runAdmin(argv.slice(1), {
      out: (text) => print(io.stdout, text),
      err: (text) => print(io.stderr, text),
    });
  }
  let json = argv.includes('--json');
  let api: string | undefined;
  try {
    const { values, positionals } = parse(argv);
    json = values.json === true;
    if (values.help === true || positionals.length === 0 || positionals[0] === 'help') {
      print(io.stdout, USAGE);
      return positionals.length === 0 && values.help !== true ? 2 : 0;
    }
    const [first = '', second = '', ...rest] = positionals;
    const single = COMMANDS[first] !== undefined && Object.hasOwn(COMMANDS, first);
    const name = single ? first : `${first} ${second}`;
    const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
    if (command === undefined) throw new UsageError(`unknown command "${positionals.join(' ')}"`);
    const extra = single ? [second, ...rest].filter((p) => p !== '') : rest;
    if (command.keyId === true && extra.length !== 1) throw new UsageError(`${name} takes one key id`);
    if (command.keyId !== true && extra.length > 0)
      throw new UsageError(`${name} takes no argument "${extra[0]}"`);
    const allowed = new Set([...GLOBAL, ...command.options]);
    const stray = Object.keys(values).filter((option) => !allowed.has(option));
    if (stray.length > 0) throw new UsageError(`${name} does not take --${stray.join(', --')}`);

    const store = new CredentialStore(configDir(io.env));
    const profileName = values.profile ?? 'default';
    const context: Context = {
      io,
      values,
      keyId: extra[0] ?? '',
      store,
      profileName,
      out: (human, body) => print(io.stdout, json ? JSON.stringify(body, null, 2) : human),
      session: async () => {
        const saved = await store.load(profileName);
        api = resolveApi(values, io.env, saved);
        const token = io.env.LATCHKEY_TOKEN || (saved?.api === api ? saved.token : undefined);
        if (token === undefined || token === '') {
          throw new CliRefusal(`not signed in to ${api}: run latchkey login (or set LATCHKEY_TOKEN)`);
        }
        if (!io.env.LATCHKEY_TOKEN && saved?.expiresAt !== undefined && saved.expiresAt <= Date.now()) {
          throw new CliRefusal(
            `your sign-in to ${api} expired at ${new Date(saved.expiresAt).toISOString()}: run latchkey login`,
          );
        }
        return { api, client: createLatchkeyClient({ baseUrl: api, token }) };
      },
    };
    await command.run(context);
    return 0;
  } catch (error) {
    return report(error, io, json, api);
  }
}

function report(error: unknown, io: CliIo, json: boolean, api: string | undefined): number {
  let status = 1;
  let code = 'failed';
  let message: string;
  if (error instanceof UsageError) {
    status = 2;
    code = 'usage';
    message = error.message;
  } else if (error instanceof LatchkeyApiError) {
    code = error.code;
    message = error.message;
    if (error.status === 401)
      message += ': your sign-in is missing, expired or not for this API; run latchkey login';
    if (error.retryAfterSeconds !== undefined) message += ` (try again in ${error.retryAfterSeconds} s)`;
  } else if (error instanceof CliRefusal || error instanceof SignInError) {
    message = error.message;
  } else if (error instanceof TypeError && error.message === 'fetch failed') {
    code = 'unreachable';
    message = `could not reach ${api ?? 'the API'}: ${describeNetworkError(error)}`;
  } else {
    message = error instanceof Error ? error.message : String(error);
  }
  if (json) io.stderr.write(`${JSON.stringify({ error: { code, message } })}\n`);
  else {
    const shown = error instanceof LatchkeyApiError ? `${message} [${code}]` : message;
    io.stderr.write(
      `error: ${shown}\n${status === 2 ? 'Run "latchkey --help" for the commands and options.\n' : ''}`,
    );
  }
  return status;
}

function resolveApi(values: Values, env: NodeJS.ProcessEnv, saved: Profile | undefined): string {
  const api = values.api ?? (env.LATCHKEY_API || undefined) ?? saved?.api;
  if (api === undefined) {
    throw new UsageError(
      'no API URL: pass --api <url>, set LATCHKEY_API, or log in with latchkey login --api <url>',
    );
  }
  try {
    const url = new URL(api);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error('not http');
  } catch {
    throw new UsageError(`--api must be an http(s) URL, not "${api}"`);
  }
  return api.replace(/\/+$/, '');
}

async function login(context: Context): Promise<void> {
  const { values, io, store, profileName } = context;
  const saved = await store.load(profileName);
  const api = resolveApi(values, io.env, saved);
  const given = values.token ?? (io.env.LATCHKEY_TOKEN || undefined);
  let token: string;
  let expiresAt: number | undefined;
  if (given !== undefined) {
    token = given.replace(/^Bearer\s+/i, '').trim();
  } else {
    if ((values.issuer === undefined) !== (values['client-id'] === undefined)) {
      throw new UsageError('--issuer and --client-id go together');
    }
    const settings =
      values.issuer !== undefined && values['client-id'] !== undefined
        ? { issuer: values.issuer, clientId: values['client-id'], scopes: 'openid email' }
        : await discoverIssuer(api);
    const signedIn = await signInWithBrowser({
      settings,
      openBrowser: values['no-browser'] !== true,
      showUrl: (url) =>
        io.stderr.write(
          `Sign in with ${settings.issuer} in your browser. If it does not open, visit:\n  ${url}\n`,
        ),
    });
    token = signedIn.accessToken;
    expiresAt = signedIn.expiresAt;
  }
  // A token is only saved once the API accepts it.
  const account = await expectOk(createLatchkeyClient({ baseUrl: api, token }).GET('/v1/account'));
  await store.save(profileName, { api, token, ...(expiresAt === undefined ? {} : { expiresAt }) });
  context.out(
    `Signed in to ${api} for account ${account.accountId} (${account.email}).\nSaved to ${store.file} (readable by you only).`,
    { api, accountId: account.accountId, email: account.email, savedTo: store.file },
  );
}

async function logout(context: Context): Promise<void> {
  const removed = await context.store.remove(context.profileName);
  context.out(
    removed ? `Signed out: removed the saved token from ${context.store.file}.` : 'Not signed in.',
    {
      signedOut: removed,
    },
  );
}

async function listKeys(context: Context): Promise<void> {
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

type Intent = paths['/v1/verifications']['post']['requestBody']['content']['application/json'];

/**
 * Gets the code that confirms `intent`: asks the API to email one, says where it went, and reads it
 * (terminal, or the first line of stdin); or takes --verification-id and --code from an earlier
 * --request-code. Undefined when the command stops after sending (--request-code).
 */
async function confirm(
  context: Context,
  client: LatchkeyClient,
  intent: Intent,
): Promise<{ verificationId: string; code: string } | undefined> {
  const { values, io } = context;
  if (values.code !== undefined || values['verification-id'] !== undefined) {
    if (values.code === undefined || values['verification-id'] === undefined) {
      throw new UsageError('--code and --verification-id go together (the id comes from --request-code)');
    }
    if (!CODE_FORMAT.test(values.code.trim()))
      throw new UsageError('--code must be the 6-digit code from the email');
    return { verificationId: values['verification-id'], code: values.code.trim() };
  }
  const sent = await expectOk(client.POST('/v1/verifications', { body: intent }));
  io.stderr.write(`A 6-digit code was sent to ${sent.sentTo}; it expires at ${sent.expiresAt}.\n`);
  if (values['request-code'] === true) {
    context.out(
      `Verification id: ${sent.verificationId}\nRun the command again with --verification-id ${sent.verificationId} --code <code>.`,
      sent,
    );
    return undefined;
  }
  const code = await readCode(io.stdin, io.stderr);
  if (!CODE_FORMAT.test(code)) throw new UsageError('that is not a 6-digit code');
  return { verificationId: sent.verificationId, code };
}

function permissionsOf(values: Values): string[] | undefined {
  if (values.permissions === undefined) return undefined;
  return values.permissions
    .flatMap((list) => list.split(','))
    .map((p) => p.trim())
    .filter((p) => p !== '');
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

async function createKey(context: Context): Promise<void> {
  const { values } = context;
  if (values.name === undefined) throw new UsageError('keys create needs --name');
  const request = {
    name: values.name,
    ...(values.description === undefined ? {} : { description: values.description }),
    permissions: permissionsOf(values) ?? [],
  };
  const { client } = await context.session();
  const proof = await confirm(context, client, { action: 'create', request });
  if (proof === undefined) return;
  const body = await expectOk(
    client.POST('/v1/api-keys', { body: request, params: { header: verificationHeaders(proof) } }),
  );
  issued(context, 'Created', body);
}

async function rotateKey(context: Context): Promise<void> {
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

async function duplicateKey(context: Context): Promise<void> {
  const { values } = context;
  if (values.name === undefined) throw new UsageError('keys duplicate needs --name for the new key');
  const permissions = permissionsOf(values);
  const request = {
    name: values.name,
    ...(values.description === undefined ? {} : { description: values.description }),
    ...(permissions === undefined ? {} : { permissions }),
  };
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

async function editKey(context: Context): Promise<void> {
  const { values } = context;
  const permissions = permissionsOf(values);
  const request = {
    ...(values.name === undefined ? {} : { name: values.name }),
    ...(values.description === undefined ? {} : { description: values.description }),
    ...(permissions === undefined ? {} : { permissions }),
  };
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

async function deleteKey(context: Context): Promise<void> {
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

/** The process: `npx latchkey ...` (cli/bin/latchkey.mjs) or `tsx cli/latchkey.ts ...`. */
export async function main(): Promise<never> {
  const code = await runLatchkey(process.argv.slice(2), {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin,
    env: process.env,
  });
  // Exit explicitly: keep-alive sockets would otherwise hold the process open a while.
  process.exit(code);
}

if (executedDirectly(import.meta.url)) await main();
