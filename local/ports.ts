import { connect, createServer } from 'node:net';
import { LocalEngineError } from './engine-error';

/** A fixed port local mode needs, and the setting that chooses it. */
export interface PortSetting {
  readonly port: number;
  readonly host: string;
  readonly setting: string;
}

/**
 * Checks each fixed port before anything starts, so a taken one is one line naming the port and the
 * setting to change, instead of whichever engine's error comes first. Port 0 is always free.
 */
export async function refuseTakenPorts(ports: readonly PortSetting[]): Promise<void> {
  for (const { port, host, setting } of ports) {
    if (port !== 0 && !(await isFree(port, host))) throw portTaken(port, setting);
  }
}

export function portTaken(port: number, setting: string): LocalEngineError {
  return new LocalEngineError(`port ${port} is taken: set ${setting} to a free port (0 picks one)`);
}

function isFree(port: number, host: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (error: Error & { code?: string }) =>
      error.code === 'EADDRINUSE' || error.code === 'EACCES' ? resolve(false) : reject(error),
    );
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/** The fixed ports a local stack binds: the API always, the engines only when it starts its own. */
export function localPorts(options: {
  host: string;
  port?: number | undefined;
  sesPort?: number | undefined;
  dynamoPort?: number | undefined;
  engines?: unknown;
}): PortSetting[] {
  return [
    { port: options.port ?? 3000, host: options.host, setting: 'PORT' },
    ...(options.engines === undefined
      ? [
          { port: options.sesPort ?? 8005, host: '127.0.0.1', setting: 'LATCHKEY_SES_PORT' },
          { port: options.dynamoPort ?? 0, host: '127.0.0.1', setting: 'LATCHKEY_DYNAMODB_PORT' },
        ]
      : []),
  ];
}

/** A port nothing listens on right now (another process may still take it before it is used). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Whether something accepts connections on the port yet. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
