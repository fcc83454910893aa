import { parseArgs } from 'node:util';
import * as z from 'zod';
import type { Account } from '../shared/domain/accounts';
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
import { UsageError } from './usage-error';

/** `--site <id>=<name>`. */
const siteArgument = z
  .string()
  .regex(/^[^=]+=.+$/, 'must look like <id>=<name>')
  .transform((value) => {
    const at = value.indexOf('=');
    return { siteId: value.slice(0, at), name: value.slice(at + 1) };
  })
  .pipe(siteSchema);

export interface Services {
  readonly accounts: AccountStore;
  readonly directory: AccountDirectory;
}

export interface AdminCommand {
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

/** The operator's commands: each a schema for its options and the onboarding call it makes. */
export const ADMIN_COMMANDS: Readonly<Record<string, AdminCommand>> = {
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

export function parseOptions(args: readonly string[]) {
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

export type Options = ReturnType<typeof parseOptions>['values'];
