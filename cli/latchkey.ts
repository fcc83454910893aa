import type { Writable } from 'node:stream';
import { LatchkeyApiError } from '../client';
import { executedDirectly } from '../local/executed-directly';
import { listPermissions, showAccount } from './account-commands';
import {
  type CliIo,
  CliRefusal,
  CONFIRM_OPTIONS,
  type Command,
  type Context,
  GLOBAL_OPTIONS,
  parseCommandLine,
} from './command-context';
import { CredentialStore, configDir } from './credentials';
import { createKey, deleteKey, duplicateKey, editKey, listKeys, rotateKey, showKey } from './key-commands';
import { login, logout, openSession } from './session-commands';
import { describeNetworkError, SignInError } from './sign-in';
import { UsageError } from './usage-error';

export type { CliIo };

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

const COMMANDS: Readonly<Record<string, Command>> = {
  login: { options: ['token', 'issuer', 'client-id', 'no-browser'], run: login },
  logout: { options: [], run: logout },
  'account show': { options: [], run: showAccount },
  'permissions list': { options: [], run: listPermissions },
  'keys list': { options: ['limit', 'cursor', 'all'], run: listKeys },
  'keys show': { options: [], keyId: true, run: showKey },
  'keys create': { options: ['name', 'description', 'permissions', ...CONFIRM_OPTIONS], run: createKey },
  'keys rotate': { options: ['if-match', ...CONFIRM_OPTIONS], keyId: true, run: rotateKey },
  'keys duplicate': {
    options: ['name', 'description', 'permissions', ...CONFIRM_OPTIONS],
    keyId: true,
    run: duplicateKey,
  },
  'keys edit': {
    options: ['name', 'description', 'permissions', 'if-match', ...CONFIRM_OPTIONS],
    keyId: true,
    run: editKey,
  },
  'keys delete': { options: ['if-match', ...CONFIRM_OPTIONS], keyId: true, run: deleteKey },
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
    const { values, positionals } = parseCommandLine(argv);
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
    const allowed = new Set([...GLOBAL_OPTIONS, ...command.options]);
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
        const opened = await openSession(io, values, store, profileName);
        api = opened.api;
        return opened;
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
