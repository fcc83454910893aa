import { createLatchkeyClient, expectOk, type LatchkeyClient } from '../client';
import { type CliIo, CliRefusal, type Context, resolveApi, type Values } from './command-context';
import type { CredentialStore } from './credentials';
import { discoverIssuer, signInWithBrowser } from './sign-in';
import { UsageError } from './usage-error';

/** `latchkey login`: a token given, or one from a browser sign-in; saved only once the API accepts it. */
export async function login(context: Context): Promise<void> {
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

export async function logout(context: Context): Promise<void> {
  const removed = await context.store.remove(context.profileName);
  context.out(
    removed ? `Signed out: removed the saved token from ${context.store.file}.` : 'Not signed in.',
    {
      signedOut: removed,
    },
  );
}

/** The API and a client signed in to it: LATCHKEY_TOKEN, else the saved sign-in if it is for this API. */
export async function openSession(
  io: CliIo,
  values: Values,
  store: CredentialStore,
  profileName: string,
): Promise<{ api: string; client: LatchkeyClient }> {
  const saved = await store.load(profileName);
  const api = resolveApi(values, io.env, saved);
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
}
