import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildConsoleSync,
  consoleIsStale,
  DEFAULT_OUT_DIR as DEFAULT_CONSOLE_DIR,
  formatReport,
} from '../console/build';
import { dynamoDocumentClient } from '../shared/adapters/aws-clients';
import { DynamoAccountDirectory } from '../shared/adapters/dynamo-account-directory';
import { logger } from '../shared/logger';
import { apiKeyRoutesSetting } from '../shared/routes';
import { accountStore, tableName as configuredTableName } from '../shared/wiring/stores';
import { consoleHost } from './console-host';
import { lockDataDir } from './data-dir-lock';
import { DEMO_ACCOUNTS, seedDemoAccounts } from './demo';
import { type DynamoDbLocal, startDynamoDbLocal, startSesLocal } from './engines';
import { executedDirectly } from './executed-directly';
import { LocalGateway } from './gateway';
import { closeServer, isLoopback, portOf, urlHost } from './http-io';
import { LocalIssuer } from './issuer';
import { useLocalAws } from './local-aws';
import { localRoutes } from './local-routes';
import { loadOrCreateLocalSecrets } from './local-secrets';
import { guardServer, loopbackHostsOnly } from './loopback-host';
import { localPorts, refuseTakenPorts } from './ports';
import { LOCAL_CLIENT_ID, LocalSignIn } from './sign-in';
import { printBanner, readStartSettings } from './start-settings';
import { ensureTable } from './table';

/**
 * `npm start`: Latchkey on a laptop. AWS's DynamoDB Local stands in for DynamoDB (its own JVM,
 * persisting to the data dir), aws-ses-v2-local for SES, the local key provider for KMS, and a local gateway for
 * API Gateway. The handlers are the very modules Lambda runs; they reach the engines through the
 * real AWS SDK clients because the standard endpoint settings point there, so none of them knows it
 * is local.
 */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_DATA_DIR = join(PROJECT_ROOT, '.latchkey');
export const LOCAL_TABLE_NAME = 'latchkey-local';
/** Where a running local stack writes its engine endpoints, so `npm run admin -- --local` can reach it. */
export const ENDPOINTS_FILE = 'endpoints.json';

export interface StartOptions {
  /** HTTP port; 0 picks a free one. @default 3000 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Where DynamoDB Local's files, the local secrets and the issuer key live. @default `.latchkey/` in the project */
  readonly dataDir?: string;
  /** aws-ses-v2-local's port; 0 picks a free one. @default 8005 */
  readonly sesPort?: number;
  /** DynamoDB Local's port; 0 picks a free one. @default 0 */
  readonly dynamoPort?: number;
  /** @default 'latchkey-local' */
  readonly tableName?: string;
  /** Already-running engines to use instead of starting DynamoDB Local and SES (the test setup's). */
  readonly engines?: { readonly dynamoEndpoint: string; readonly sesEndpoint: string };
  /** The built console served at `/`. @default console/dist */
  readonly consoleDir?: string;
  /** Print the startup banner. @default true */
  readonly banner?: boolean;
}

export interface RunningLatchkey {
  readonly url: string;
  readonly sesUrl: string;
  readonly dynamoEndpoint: string;
  readonly dataDir: string;
  readonly tableName: string;
  close(): Promise<void>;
}

export async function startLatchkey(options: StartOptions = {}): Promise<RunningLatchkey> {
  const dataDir = resolve(options.dataDir ?? DEFAULT_DATA_DIR);
  await mkdir(dataDir, { recursive: true });
  const lock = await lockDataDir(dataDir);
  let ownDynamo: DynamoDbLocal | undefined;
  const ownServers: Server[] = [];
  const closeEngines = async () => {
    await Promise.all([ownDynamo?.close(), ...ownServers.map(closeServer)]);
    await lock.release();
  };
  const host = options.host ?? '127.0.0.1';
  try {
    await refuseTakenPorts(localPorts({ ...options, host }));
  } catch (error) {
    await lock.release();
    throw error;
  }
  const secrets = await loadOrCreateLocalSecrets(dataDir);
  const tableName = options.tableName ?? LOCAL_TABLE_NAME;

  let dynamoEndpoint: string;
  let sesUrl: string;
  try {
    if (options.engines === undefined) {
      // The JVM takes seconds to start: start SES meanwhile.
      const [dynamo, ses] = await Promise.allSettled([
        startDynamoDbLocal({ port: options.dynamoPort ?? 0, dbPath: join(dataDir, 'dynamodb') }),
        startSesLocal({ port: options.sesPort ?? 8005 }),
      ]);
      if (dynamo.status === 'fulfilled') ownDynamo = dynamo.value;
      if (ses.status === 'fulfilled') ownServers.push(ses.value);
      if (dynamo.status === 'rejected') throw dynamo.reason;
      if (ses.status === 'rejected') throw ses.reason;
      // Its inbox page shows the codes: the same DNS-rebinding guard as the API's port.
      guardServer(ses.value, { port: portOf(ses.value) });
      dynamoEndpoint = dynamo.value.endpoint;
      sesUrl = `http://127.0.0.1:${portOf(ses.value)}`;
    } else {
      dynamoEndpoint = options.engines.dynamoEndpoint;
      sesUrl = options.engines.sesEndpoint;
    }

    // Everything below, handlers included, reads its configuration from here and only here.
    useLocalAws({ dynamodb: dynamoEndpoint, ses: sesUrl });
    Object.assign(process.env, {
      LATCHKEY_TABLE_NAME: tableName,
      LATCHKEY_KEY_PROVIDER: 'local',
      LATCHKEY_LOCAL_MASTER_KEY: secrets.masterKey,
      LATCHKEY_PEPPERS: JSON.stringify(secrets.peppers),
      LATCHKEY_PROTECTED_ROUTES: apiKeyRoutesSetting(),
      // Webhook receivers in local mode (and its tests) run on this machine.
      LATCHKEY_WEBHOOKS_ALLOW_LOOPBACK: 'true',
    });
    process.env.LATCHKEY_MAIL_FROM ??= 'Latchkey <no-reply@latchkey.local>';

    await ensureTable(tableName);
    if (configuredTableName() !== tableName) {
      throw new Error(
        `This process already serves table ${configuredTableName()}; start one stack per process`,
      );
    }
    await seedDemoAccounts(accountStore());
  } catch (error) {
    await closeEngines();
    throw error;
  }

  const directory = new DynamoAccountDirectory(dynamoDocumentClient(), tableName);
  const server = createServer();
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 3000, host, () => resolveListen());
  }).catch(async (error: unknown) => {
    await closeEngines();
    throw error;
  });
  const url = `http://${urlHost(host)}:${portOf(server)}`;
  const issuer = await LocalIssuer.create(`${url}/local`, secrets.signingKey);
  const gateway = new LocalGateway({
    projectRoot: PROJECT_ROOT,
    issuer,
    localRoutes: localRoutes({
      issuer,
      directory,
      sesUrl,
      defaultAccountId: async () => DEMO_ACCOUNTS[0]?.accountId,
    }),
  });
  const front = consoleHost(
    {
      consoleDir: options.consoleDir ?? DEFAULT_CONSOLE_DIR,
      issuer: issuer.issuer,
      clientId: LOCAL_CLIENT_ID,
      signIn: new LocalSignIn(issuer, directory),
    },
    gateway.listener,
  );
  server.on('request', loopbackHostsOnly({ port: portOf(server), bindHost: options.host }, front));

  const endpointsFile = join(dataDir, ENDPOINTS_FILE);
  if (ownDynamo !== undefined) {
    await writeFile(
      endpointsFile,
      `${JSON.stringify({ api: url, dynamodb: dynamoEndpoint, ses: sesUrl, tableName, pid: process.pid }, null, 2)}\n`,
    );
  }
  if (options.banner ?? true) printBanner({ url, sesUrl, dynamoEndpoint, dataDir, tableName });
  if (!isLoopback(host)) {
    const warning =
      'local mode is listening beyond this machine: /local/dev-token and /local/inbox are open to it';
    logger.warn(warning, { host });
  }

  let closing: Promise<void> | undefined;
  return {
    url,
    sesUrl,
    dynamoEndpoint,
    dataDir,
    tableName,
    close: () => {
      closing ??= (async () => {
        await closeServer(server);
        if (ownDynamo !== undefined) await rm(endpointsFile, { force: true });
        await closeEngines();
      })();
      return closing;
    },
  };
}

async function main(): Promise<void> {
  const settings = readStartSettings();
  if (settings === undefined) {
    process.exitCode = 2;
    return;
  }
  // The page is built from console/src; a fresh clone or an edited source builds it here.
  if (consoleIsStale()) console.log(formatReport(buildConsoleSync()));
  const running = await startLatchkey({
    port: settings.PORT,
    host: settings.HOST,
    dataDir: settings.LATCHKEY_DATA_DIR ?? DEFAULT_DATA_DIR,
    sesPort: settings.LATCHKEY_SES_PORT,
    dynamoPort: settings.LATCHKEY_DYNAMODB_PORT,
  });
  const stop = (signal: string) => {
    logger.info('shutting down', { signal });
    // A second Ctrl-C, or a close that hangs, still ends the process.
    setTimeout(() => process.exit(1), 5000).unref();
    running.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error('shutdown failed', {}, error);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (executedDirectly(import.meta.url)) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof Error && 'code' in error && error.code === 'EADDRINUSE'
        ? ' (a port is taken: set PORT or LATCHKEY_SES_PORT)'
        : '';
    console.error(`latchkey: could not start: ${message}${hint}`);
    process.exit(1);
  });
}
