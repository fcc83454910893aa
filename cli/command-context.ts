import type { Readable, Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import type { LatchkeyClient } from '../client';
import type { CredentialStore, Profile } from './credentials';
import { UsageError } from './usage-error';

/** What the `latchkey` command reads and writes; tests pass their own streams and environment. */
export interface CliIo {
  readonly stdout: Writable;
  readonly stderr: Writable;
  readonly stdin: Readable & { isTTY?: boolean };
  readonly env: NodeJS.ProcessEnv;
}

/** Something the user can fix that is not bad usage: not signed in, sign-in expired. */
export class CliRefusal extends Error {}

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

export type Values = ReturnType<typeof parseCommandLine>['values'];

export function parseCommandLine(args: readonly string[]) {
  try {
    return parseArgs({ args: [...args], options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Options every command takes. */
export const GLOBAL_OPTIONS = ['api', 'profile', 'json', 'help'];
/** Options of every command that needs a verification code. */
export const CONFIRM_OPTIONS = ['code', 'verification-id', 'request-code'];

export interface Command {
  readonly options: readonly string[];
  /** Whether the command takes one positional argument, a key id. */
  readonly keyId?: boolean;
  run(context: Context): Promise<void>;
}

/** One parsed command line, as a command sees it. */
export interface Context {
  readonly io: CliIo;
  readonly values: Values;
  readonly keyId: string;
  readonly store: CredentialStore;
  readonly profileName: string;
  /** Prints `human`, or `json` as JSON under --json. */
  out(human: string, json: unknown): void;
  /** The API and a client signed in to it; refuses when there is no usable sign-in. */
  session(): Promise<{ api: string; client: LatchkeyClient }>;
}

/** --api, else LATCHKEY_API, else the saved sign-in's API; an http(s) URL without a trailing slash. */
export function resolveApi(values: Values, env: NodeJS.ProcessEnv, saved: Profile | undefined): string {
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
