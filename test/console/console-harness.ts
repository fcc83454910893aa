import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { ENDPOINTS_FILE, PROJECT_ROOT } from '../../local/server';
import { DynamoAccountStore } from '../../shared/adapters/dynamo-account-store';
import { createAccount } from '../../shared/domain/onboarding';

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
export const SCREENSHOT_DIR = join(PROJECT_ROOT, 'test-results', 'console');

export interface RunningConsole {
  readonly url: string;
  readonly output: () => string;
  newAccount(): Promise<{ accountId: string; email: string }>;
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
  return {
    url,
    output: () => output,
    // The admin command's own onboarding, straight against the running stack's table.
    async newAccount() {
      const id = randomUUID().slice(0, 8);
      const email = `owner-${id}@console.example`;
      const account = await createAccount(accounts, {
        email,
        ownerId: `local|${id}`,
        sites: [{ siteId: `shop-${id}`, name: 'Shop' }],
      });
      return { accountId: account.accountId, email };
    },
    async stop() {
      client.destroy();
      child.kill('SIGINT');
      await exited(child);
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

export async function newConsoleContext(browser: Browser, url: string): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  return context;
}

/** Opens the console, which sends the browser to the local issuer, and picks the member. */
export async function signIn(page: Page, url: string, email: string): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByRole('button', { name: `Sign in as ${email}` }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'API Keys', level: 1 }).isVisible()).toBe(true);
  await page.getByRole('heading', { name: 'Account ID' }).waitFor();
}

/** The newest code mailed to `email`, read from the verify dialog's local Inbox panel. */
export async function codeFromInbox(dialog: Locator, email: string): Promise<string> {
  const mail = dialog
    .getByRole('listitem')
    .filter({ hasText: `to ${email}` })
    .first();
  await mail.waitFor();
  const text = (await mail.textContent()) ?? '';
  const code = /verification code:\s*(\d{6})/i.exec(text)?.[1];
  if (code === undefined) throw new Error(`no code in the mail: ${text}`);
  return code;
}

/** axe-core on what the page shows now: no serious or critical violation. */
export async function expectAccessible(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(
    bad.map((v) => `${what}: ${v.id} (${v.impact}) ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
  ).toEqual([]);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
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

/** The clipboard as the page sees it (a string expression: the test's own types have no DOM). */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate<string>('navigator.clipboard.readText()');
}
