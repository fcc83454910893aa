import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { type DynamoDbLocal, startDynamoDbLocal } from '../local/engines';
import { useLocalAws } from '../local/local-aws';
import { DEFAULT_DATA_DIR, ENDPOINTS_FILE, LOCAL_TABLE_NAME } from '../local/server';
import { ensureTable, tableExists } from '../local/table';
import type { Options } from './admin-commands';
import { UsageError } from './usage-error';

/** `--local` on a data dir with no Latchkey table: a setting to fix (exit 2), but no usage to repeat. */
export class NoLocalTableError extends UsageError {}

/**
 * Points the SDK at the chosen table before the first client is built. With `--local` it prefers the
 * running stack's DynamoDB Local (so it sees what the stack serves, with no second engine on the same
 * files) and otherwise opens the data dir itself, for as long as the command runs.
 */
export async function selectTarget(
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
