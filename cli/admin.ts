import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { type DynamoDbLocal, LocalEngineError, startDynamoDbLocal } from '../local/engines';
import { executedDirectly } from '../local/executed-directly';
import { useLocalAws } from '../local/local-aws';
import { DEFAULT_DATA_DIR, ENDPOINTS_FILE, LOCAL_TABLE_NAME } from '../local/server';
import { ensureTable, tableExists } from '../local/table';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients';
import { DynamoAccountDirectory } from '../shared/adapters/dynamo-account-directory';
import type { Account } from '../shared/domain/accounts';
import { AppError } from '../shared/domain/errors';
import {
  type AccountDirectory,
  accountIdSchema,
  addMember,
  addSite,
  createAccount,
  describeAccount,
  emailSchema,
  memberRoleSchema,
  setAccountEmail,
  siteSchema,
  userIdSchema,
} from '../shared/domain/onboarding';
import type { AccountStore } from '../shared/domain/ports';
import { accountStore, tableName } from '../shared/wiring/stores';

/**
 * `npm run admin -- <command>`: the operator's tool for accounts, their linked email, sites and
 * members, over the same onboarding code that seeds the local demo accounts. It talks to the table
 * LATCHKEY_TABLE_NAME names through the standard AWS SDK configuration (profile, region, credentials),
 * so it serves a deployed stack as well; `--local` targets the local stack's data dir instead.
 */
export const USAGE = `Usage: npm run admin -- <command> [options]   (or: npx latchkey admin <command> [options])

Commands:
  create-account --email <address> [--site <id>=<name> ...] [--owner <jwt-sub>]
                        Create an account linked to <address>, with sites and a first owner.
  set-email      --account <id> --email <address>
                        Change the address verification codes are sent to.
  add-site       --account <id> --site <id>=<name> [--site ...]
                        Add sites (or rename one whose id exists); every key of the account reaches them.
  add-member     --account <id> --user <jwt-sub> [--role owner|admin]
                        Let a signed-in user (the JWT subject) act for the account. Role defaults to admin.
  show-account   --account <id>
                        The account, its sites and its members.
  list-accounts         Every account (a table scan: an operator's tool, not a request path).

Target (one of):
  (default)             The table named by LATCHKEY_TABLE_NAME, through the standard AWS SDK settings
                        (AWS_PROFILE, AWS_REGION, credentials). --table <name> overrides the name.
  --local               The local stack (npm start): its running DynamoDB Local, or the data dir directly
                        when it is stopped. --data-dir <dir> (or LATCHKEY_DATA_DIR) picks the data dir.

Output is JSON on stdout; errors go to stderr with a non-zero exit code (2 for bad usage).
`;

export interface AdminIo {
  out(text: string): void;
  err(text: string): void;
}

const consoleIo: AdminIo = {
  out: (text) => process.stdout.write(`${text}\n`),
  err: (text) => process.stderr.write(`${text}\n`),
};

class UsageError extends Error {}

/** `--local` on a data dir with no Latchkey table: a setting to fix (exit 2), but no usage to repeat. */
class NoLocalTableError extends UsageError {}

/** Only onboarding may start a data dir; any other command on an empty one would show a blank store. */
const CREATES_LOCAL_TABLE = new Set(['create-account']);

const siteArgument = z
  .string()
  .regex(/^[^=]+=.+$/, 'must look like <id>=<name>')
  .transform((value) => {
    const at = value.indexOf('=');
    return { siteId: value.slice(0, at), name: value.slice(at + 1) };
  })
  .pipe(siteSchema);

interface Services {
  readonly accounts: AccountStore;
  readonly directory: AccountDirectory;
}

interface AdminCommand {
  /** The command's own options (the target options go with every command). */
  readonly options: ReadonlySet<string>;
  /** Validates the options before anything is touched; the returned function runs the command. */
  prepare(name: string, values: Options): (services: Services) => Promise<unknown>;
}

/** Ties a command's schema to its action, so the action receives exactly what the schema parsed. */
function command<S extends z.ZodObject>(
  schema: S,
  run: (input: z.output<S>, services: Services) => Promise<unknown>,
): AdminCommand {
  return {
    options: new Set(Object.keys(schema.shape)),
    prepare: (name, values) => {
      const result = schema.safeParse(values);
      if (!result.success) {
        const problems = result.error.issues.map((issue) => {
          const option = issue.path[0] === undefined ? '' : `--${String(issue.path[0])}`;
          return issue.code === 'invalid_type' && issue.input === undefined
            ? `${option} is required`
            : `${option} ${issue.message}`.trim();
        });
        throw new UsageError(`${name}: ${problems.join('; ')}`);
      }
      return (services) => run(result.data, services);
    },
  };
}

const COMMANDS: Readonly<Record<string, AdminCommand>> = {
  'create-account': command(
    z.object({
      email: emailSchema,
      site: z.array(siteArgument).default([]),
      owner: z.optional(userIdSchema),
    }),
    async ({ email, site, owner }, { accounts, directory }) => {
      const account = await createAccount(accounts, { email, sites: site, ownerId: owner });
      return describeAccount(accounts, directory, account.accountId);
    },
  ),
  'set-email': command(
    z.object({ account: accountIdSchema, email: emailSchema }),
    ({ account, email }, { accounts }) => setAccountEmail(accounts, account, email),
  ),
  'add-site': command(
    z.object({ account: accountIdSchema, site: z.array(siteArgument).min(1, 'give at least one') }),
    async ({ account, site }, { accounts }) => {
      let updated: Account | undefined;
      for (const one of site) updated = await addSite(accounts, account, one);
      return updated;
    },
  ),
  'add-member': command(
    z.object({ account: accountIdSchema, user: userIdSchema, role: z._default(memberRoleSchema, 'admin') }),
    ({ account, user, role }, { accounts }) =>
      addMember(accounts, { accountId: account, userId: user, role }),
  ),
  'show-account': command(z.object({ account: accountIdSchema }), ({ account }, { accounts, directory }) =>
    describeAccount(accounts, directory, account),
  ),
  'list-accounts': command(z.object({}), async (_input, { directory }) => ({
    accounts: await directory.listAccounts(),
  })),
};

const TARGET_OPTIONS = new Set(['table', 'local', 'data-dir', 'help']);

/** Runs one admin command; returns the process exit code. */
export async function runAdmin(argv: readonly string[], io: AdminIo = consoleIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return 0;
  }
  let cleanup: (() => Promise<void>) | undefined;
  try {
    const spec = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
    if (spec === undefined) throw new UsageError(`Unknown command "${command}"`);
    const { values } = parseOptions(rest);
    if (values.help === true) {
      io.out(USAGE);
      return 0;
    }
    const stray = Object.keys(values).filter((name) => !spec.options.has(name) && !TARGET_OPTIONS.has(name));
    if (stray.length > 0) throw new UsageError(`${command} does not take --${stray.join(', --')}`);
    const run = spec.prepare(command, values);
    cleanup = await selectTarget(values, CREATES_LOCAL_TABLE.has(command));
    const services: Services = {
      accounts: accountStore(),
      directory: new DynamoAccountDirectory(dynamoDocumentClient(), tableName()),
    };
    io.out(JSON.stringify(await run(services), null, 2));
    return 0;
  } catch (error) {
    if (error instanceof NoLocalTableError) {
      io.err(`error: ${error.message}`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}\nRun "npm run admin -- --help" for the commands and options.`);
      return 2;
    }
    io.err(`error: ${describe(error)}`);
    return 1;
  } finally {
    await cleanup?.();
  }
}

function parseOptions(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        email: { type: 'string' },
        site: { type: 'string', multiple: true },
        owner: { type: 'string' },
        account: { type: 'string' },
        user: { type: 'string' },
        role: { type: 'string' },
        table: { type: 'string' },
        local: { type: 'boolean' },
        'data-dir': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

type Options = ReturnType<typeof parseOptions>['values'];

/**
 * Points the SDK at the chosen table before the first client is built. With `--local` it prefers the
 * running stack's DynamoDB Local (so it sees what the stack serves, with no second engine on the same
 * files) and otherwise opens the data dir itself, for as long as the command runs.
 */
async function selectTarget(
  values: Options,
  mayCreateTable: boolean,
): Promise<(() => Promise<void>) | undefined> {
  if (values.local !== true) {
    if (values['data-dir'] !== undefined) throw new UsageError('--data-dir only goes with --local');
    if (values.table !== undefined) process.env.LATCHKEY_TABLE_NAME = values.table;
    if ((process.env.LATCHKEY_TABLE_NAME ?? '').trim() === '') {
      throw new UsageError('Set LATCHKEY_TABLE_NAME (or --table) to the deployed table, or pass --local');
    }
    return undefined;
  }
  if (values.table !== undefined) throw new UsageError('--table does not go with --local');
  const dataDir = resolve(values['data-dir'] ?? process.env.LATCHKEY_DATA_DIR ?? DEFAULT_DATA_DIR);
  const running = await runningStack(dataDir);
  let endpoint = running?.dynamodb;
  let table = running?.tableName ?? LOCAL_TABLE_NAME;
  let own: DynamoDbLocal | undefined;
  const noTable = () =>
    new NoLocalTableError(
      `${dataDir} holds no Latchkey table: start the local stack once (npm start) or name its --data-dir; ` +
        'create-account starts a new one',
    );
  if (endpoint === undefined) {
    const dbPath = join(dataDir, 'dynamodb');
    if (!mayCreateTable && !existsSync(dbPath)) throw noTable();
    own = await startDynamoDbLocal({ dbPath });
    endpoint = own.endpoint;
    table = LOCAL_TABLE_NAME;
  }
  useLocalAws({ dynamodb: endpoint });
  process.env.LATCHKEY_TABLE_NAME = table;
  if (own === undefined) return undefined;
  try {
    if (mayCreateTable) await ensureTable(table);
    else if (!(await tableExists(table))) throw noTable();
  } catch (error) {
    await own.close();
    throw error;
  }
  return own.close;
}

const endpointsSchema = z.object({ dynamodb: z.url(), tableName: z.string().min(3) });

async function runningStack(dataDir: string): Promise<z.infer<typeof endpointsSchema> | undefined> {
  let text: string;
  try {
    text = await readFile(join(dataDir, ENDPOINTS_FILE), 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const result = endpointsSchema.safeParse(parsed);
  if (!result.success) return undefined;
  // A stack that was killed leaves the file behind: only an engine that answers counts.
  const probe = new DynamoDBClient({
    endpoint: result.data.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });
  try {
    await probe.send(new ListTablesCommand({ Limit: 1 }));
    return result.data;
  } catch {
    return undefined;
  } finally {
    probe.destroy();
  }
}

function describe(error: unknown): string {
  if (error instanceof AppError || error instanceof LocalEngineError) return error.message;
  if (error instanceof Error) {
    if (error.name === 'ResourceNotFoundException') {
      return `table ${process.env.LATCHKEY_TABLE_NAME ?? ''} was not found (check LATCHKEY_TABLE_NAME and AWS_REGION)`;
    }
    if (error.name === 'CredentialsProviderError') return `no AWS credentials: ${error.message}`;
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

if (executedDirectly(import.meta.url)) {
  // The SDK warns on every run that its 2027 releases will need Node 22; the lockfile pins this
  // project's SDK, so for an operator the warning is noise that buries the command's own output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  // Exit explicitly: the SDK's keep-alive sockets would otherwise hold the process open a while.
  runAdmin(process.argv.slice(2)).then((code) => process.exit(code));
}
