import { LocalEngineError } from '../local/engine-error';
import { executedDirectly } from '../local/executed-directly';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients';
import { DynamoAccountDirectory } from '../shared/adapters/dynamo-account-directory';
import { AppError } from '../shared/domain/errors';
import { accountStore, tableName } from '../shared/wiring/stores';
import { ADMIN_COMMANDS, parseOptions, type Services } from './admin-commands';
import { NoLocalTableError, selectTarget } from './admin-target';
import { UsageError } from './usage-error';

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

/** Only onboarding may start a data dir; any other command on an empty one would show a blank store. */
const CREATES_LOCAL_TABLE = new Set(['create-account']);

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
    const spec = Object.hasOwn(ADMIN_COMMANDS, command) ? ADMIN_COMMANDS[command] : undefined;
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
