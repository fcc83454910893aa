import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { ENDPOINTS_FILE, PROJECT_ROOT } from '../../local/server';
import { DynamoAccountStore } from '../../shared/adapters/dynamo-account-store';
import { DynamoKeyStore } from '../../shared/adapters/dynamo-key-store';
import { mintKey } from '../../shared/domain/key-records';
import { createAccount } from '../../shared/domain/onboarding';
import { unpepperedHasher } from '../support/key-records';
import { rememberSecret } from '../support/log-capture';
import { signIn } from './page-flows';

/**
 * The browser tests' world: `npm start` as a developer runs it (its own process, its own engines,
 * the console built on start if needed), Debian's Chromium driven by playwright-core, and a fresh
 * account per test so each flow has the account's code budget to itself.
 */
export const CHROMIUM = process.env.LATCHKEY_CHROMIUM ?? '/usr/bin/chromium';
/** Flags that keep Chromium off the network it cannot reach here, and out of a sandbox root cannot use. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** A whole flow in a browser: generous, since CI shares two cores with everything else. */
export const BROWSER_TEST_TIMEOUT_MS = 90_000;

/** An account made for one test: its owner's email, and its sites (`shop-<id>` first). */
export interface ConsoleAccount {
  readonly accountId: string;
  readonly email: string;
  readonly siteIds: string[];
}

export interface RunningConsole {
  readonly url: string;
  readonly output: () => string;
  /** A fresh account with one site (`shop-<id>`), or with the extra sites named. */
  newAccount(extraSites?: readonly string[]): Promise<ConsoleAccount>;
  /** Moves every open challenge of the account past its expiry, as ten minutes passing would. */
  expireChallenges(accountId: string): Promise<number>;
  /**
   * Writes keys straight into the table through the key store, as a long-lived account would have
   * them (their token hashes match no token: these keys are only there to be listed).
   */
  seedKeys(accountId: string, count: number): Promise<void>;
  /** A management API JWT for the account's owner, from the local issuer. */
  ownerJwt(accountId: string): Promise<string>;
  /** The management API as a script would call it, with a JWT: the status and the JSON body. */
  call(
    jwt: string,
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Asks for a code for `intent` and reads it from the local inbox: the headers that prove it. */
  proof(jwt: string, email: string, intent: Record<string, unknown>): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export async function startConsole(): Promise<RunningConsole> {
  const dataDir = await mkdtemp(join(tmpdir(), 'latchkey-console-'));
  let output = '';
  const child = spawn(join(PROJECT_ROOT, 'node_modules/.bin/tsx'), ['local/server.ts'], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, PORT: '0', LATCHKEY_SES_PORT: '0', LATCHKEY_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url =
    (await waitFor(() => output, /Console \(API Keys page\)\s+(http:\/\/\S+?)\/?\s/, child))[1] ?? '';
  const endpoints = JSON.parse(await readFile(join(dataDir, ENDPOINTS_FILE), 'utf8')) as {
    dynamodb: string;
    tableName: string;
  };
  const client = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: endpoints.dynamodb,
      region: 'us-east-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    }),
  );
  const accounts = new DynamoAccountStore(client, endpoints.tableName);
  const call: RunningConsole['call'] = async (jwt, method, path, body, headers = {}) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${jwt}`, 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      json: (text === '' ? {} : JSON.parse(text)) as Record<string, unknown>,
    };
  };
  return {
    url,
    output: () => output,
    // The admin command's own onboarding, straight against the running stack's table.
    async newAccount(extraSites: readonly string[] = []) {
      const id = randomUUID().slice(0, 8);
      const email = `owner-${id}@console.example`;
      const sites = [
        { siteId: `shop-${id}`, name: 'Shop' },
        ...extraSites.map((name) => ({ siteId: `${name.toLowerCase()}-${id}`, name })),
      ];
      const account = await createAccount(accounts, { email, ownerId: `local|${id}`, sites });
      return { accountId: account.accountId, email, siteIds: sites.map((site) => site.siteId) };
    },
    async expireChallenges(accountId) {
      const { Items = [] } = await client.send(
        new QueryCommand({
          TableName: endpoints.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
          ExpressionAttributeValues: { ':pk': `ACCOUNT#${accountId}`, ':sk': 'VERIFICATION#' },
        }),
      );
      for (const item of Items) {
        await client.send(
          new UpdateCommand({
            TableName: endpoints.tableName,
            Key: { pk: item.pk, sk: item.sk },
            UpdateExpression: 'SET expiresAt = :past',
            ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 1 },
          }),
        );
      }
      return Items.length;
    },
    async seedKeys(accountId, count) {
      const keys = new DynamoKeyStore(client, endpoints.tableName);
      for (let i = 0; i < count; i += 1) {
        const at = new Date(Date.now() - (count - i) * 60_000);
        const { record } = await mintKey(unpepperedHasher, {
          account: { accountId, sites: [] },
          fields: {
            name: `Seeded key ${String(i + 1).padStart(2, '0')}`,
            description: '',
            permissions: ['sites.list'],
          },
          by: 'seed',
          now: at,
        });
        await keys.create(record);
      }
    },
    async ownerJwt(accountId) {
      const response = await fetch(`${url}/local/dev-token?account=${accountId}`);
      const { token } = (await response.json()) as { token: string };
      rememberSecret(token);
      return token;
    },
    call,
    async proof(jwt, email, intent) {
      const sent = await call(jwt, 'POST', '/v1/verifications', intent);
      expect(sent.status).toBe(201);
      const inbox = (await (await fetch(`${url}/local/inbox`)).json()) as {
        emails: { to: string; text: string }[];
      };
      const mail = inbox.emails.find((m) => m.to === email)?.text ?? '';
      const code = /verification code:\s*(\d{6})/i.exec(mail)?.[1];
      if (code === undefined) throw new Error('no code mailed');
      rememberSecret(code);
      return { 'x-verification-id': String(sent.json.verificationId), 'x-verification-code': code };
    },
    async stop() {
      client.destroy();
      child.kill('SIGINT');
      await exited(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** What a browser test works with; `page` and `account` are new for every test. */
export interface ConsoleSession {
  readonly server: RunningConsole;
  readonly page: Page;
  readonly account: ConsoleAccount;
}

/**
 * The hooks every browser test file needs: one `npm start` and one Chromium for the file, and
 * before each test a browser context of its own, a fresh account (with `extraSites` besides its
 * shop) and, unless `signIn` is false, its owner signed in. A test that looks at the sign-in page
 * first passes `signIn: false` and signs in itself.
 */
export function signedInConsole(
  options: { readonly signIn?: boolean; readonly extraSites?: readonly string[] } = {},
): ConsoleSession {
  let server: RunningConsole | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let account: ConsoleAccount | undefined;

  beforeAll(async () => {
    [server, browser] = await Promise.all([startConsole(), launchBrowser()]);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.stop();
  });

  beforeEach(async () => {
    await context?.close();
    context = await newConsoleContext(ready(browser, 'Chromium'), ready(server, 'npm start').url);
    page = await context.newPage();
    account = await ready(server, 'npm start').newAccount(options.extraSites);
    if (options.signIn !== false) await signIn(page, server?.url ?? '', account.email);
  });

  return {
    get server() {
      return ready(server, 'npm start');
    },
    get page() {
      return ready(page, 'the page');
    },
    get account() {
      return ready(account, 'the account');
    },
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is set up by the hooks of signedInConsole()`);
  return value;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newConsoleContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  // Well under the test's own timeout, so a missing element fails with its locator in the message.
  context.setDefaultTimeout(15_000);
  return context;
}

async function waitFor(read: () => string, pattern: RegExp, child: ChildProcess): Promise<RegExpExecArray> {
  for (;;) {
    const match = pattern.exec(read());
    if (match !== null) return match;
    if (child.exitCode !== null) throw new Error(`npm start exited early:\n${read()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}
