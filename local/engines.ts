import type { Server } from 'node:http';
import { createRequire } from 'node:module';

/**
 * The real local engines behind the AWS SDK clients: dynalite for DynamoDB and aws-ses-v2-local
 * for SES. Both are CommonJS packages; they are loaded with require so their default exports
 * resolve the same way under tsx, vitest and node.
 */
const require = createRequire(import.meta.url);

export interface DynaliteOptions {
  readonly port: number;
  /** A folder to persist to; in memory when absent. */
  readonly path?: string | undefined;
  readonly host?: string;
}

export async function startDynalite(options: DynaliteOptions): Promise<Server> {
  const dynalite = require('dynalite') as (opts: Record<string, unknown>) => Server;
  const server = dynalite({
    ...(options.path === undefined ? {} : { path: options.path }),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  return server;
}

export async function startSesLocal(options: { port: number; host?: string }): Promise<Server> {
  const sesLocal = require('aws-ses-v2-local') as {
    default: (config: { host: string; port: number }) => Promise<Server>;
  };
  return sesLocal.default({ host: options.host ?? '127.0.0.1', port: options.port });
}
