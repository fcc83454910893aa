import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import { urlHost } from './http-io';

/**
 * Local mode's DNS-rebinding guard. A page on `evil.example` can make its own name resolve to
 * 127.0.0.1 and then read this server as a same-origin site, dev tokens and inbox included; the one
 * thing it cannot change is the Host header, which still names `evil.example`. So every request whose
 * Host is not a loopback name with this server's port (or the address the user chose to bind) is
 * refused before the console, the sign-in routes, /local/* or any handler sees it.
 */
export const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

export interface HostGuardOptions {
  /** The port the server listens on (Host carries it, except for port 80). */
  readonly port: number;
  /** The bind address the user set, if any: it is how they reach the server. Wildcards add nothing. */
  readonly bindHost?: string;
}

/** The exact Host header values (lower case) the server answers. */
export function allowedHosts(options: HostGuardOptions): string[] {
  const names = new Set<string>(LOOPBACK_NAMES);
  // urlHost turns the wildcards 0.0.0.0 and :: into 127.0.0.1 and [::1], already in the set.
  if (options.bindHost !== undefined) names.add(urlHost(options.bindHost.toLowerCase()));
  const hosts = [...names].map((name) => `${name}:${options.port}`);
  // A browser leaves the default port out of Host.
  if (options.port === 80) hosts.push(...names);
  return hosts;
}

export function loopbackHostsOnly(options: HostGuardOptions, next: RequestListener): RequestListener {
  const allowed = allowedHosts(options);
  const accepted = new Set(allowed);
  return (req: IncomingMessage, res: ServerResponse) => {
    const host = req.headers.host;
    if (host !== undefined && accepted.has(host.toLowerCase())) {
      next(req, res);
      return;
    }
    // Drain the body so the client reads the answer instead of a reset connection.
    req.resume();
    const body = JSON.stringify({
      error: {
        code: 'host_not_allowed',
        message:
          host === undefined
            ? `The request has no Host header; local mode answers only ${allowed.join(', ')}`
            : `Host ${JSON.stringify(host)} is not this machine: local mode answers only ${allowed.join(', ')} (a guard against DNS rebinding)`,
        details: { host: host ?? null, allowedHosts: allowed },
      },
    });
    res.writeHead(421, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'content-length': Buffer.byteLength(body),
      connection: 'close',
    });
    res.end(body);
  };
}

/**
 * Puts the guard in front of a server someone else built (aws-ses-v2-local's inbox page shows the
 * codes): its request listeners move behind the guard.
 */
export function guardServer(server: Server, options: HostGuardOptions): void {
  const listeners = server.listeners('request') as RequestListener[];
  server.removeAllListeners('request');
  server.on(
    'request',
    loopbackHostsOnly(options, (req, res) => {
      for (const listener of listeners) listener.call(server, req, res);
    }),
  );
}
