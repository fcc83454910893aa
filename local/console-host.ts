import { readFile } from 'node:fs/promises';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { CONSOLE_REFERRER_POLICY, consoleContentSecurityPolicy } from '../console/content-security-policy';
import type { LocalSignIn } from './sign-in';

/**
 * Local mode's front door, in front of the local gateway on the same port: the built console at `/`
 * (with the headers CloudFront sends when deployed), its runtime `/config.json`, and the local
 * issuer's sign-in routes, which need a form body the gateway's local routes do not read. Anything
 * else goes on to the gateway.
 */
export interface ConsoleHostOptions {
  /** The console build (console/dist). */
  readonly consoleDir: string;
  readonly issuer: string;
  readonly clientId: string;
  readonly signIn: LocalSignIn;
}

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
};
const MAX_FORM_BYTES = 16 * 1024;

export function consoleHost(options: ConsoleHostOptions, next: RequestListener): RequestListener {
  const pageHeaders = {
    'content-security-policy': consoleContentSecurityPolicy(),
    'referrer-policy': CONSOLE_REFERRER_POLICY,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  };
  const config = JSON.stringify({
    apiUrl: '',
    issuer: options.issuer,
    clientId: options.clientId,
    scopes: 'openid email',
    localMode: true,
  });

  const serveFile = async (res: ServerResponse, relativePath: string, cache: string, head: boolean) => {
    const root = normalize(options.consoleDir);
    const file = normalize(join(root, relativePath));
    if (!file.startsWith(root + sep))
      return send(res, 404, { 'content-type': 'text/plain' }, 'Not Found', head);
    let body: Buffer;
    try {
      body = await readFile(file);
    } catch {
      const missing =
        relativePath === 'index.html' ? 'The console is not built: run npm run build:console' : 'Not Found';
      return send(
        res,
        relativePath === 'index.html' ? 503 : 404,
        { 'content-type': 'text/plain' },
        missing,
        head,
      );
    }
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    send(res, 200, { ...pageHeaders, 'content-type': type, 'cache-control': cache }, body, head);
  };

  return (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const method = req.method ?? 'GET';
    const head = method === 'HEAD';
    const query = new URLSearchParams((req.url ?? '').split('?')[1] ?? '');
    const answer = (work: Promise<void>) =>
      work.catch(() => {
        if (!res.headersSent) send(res, 500, { 'content-type': 'text/plain' }, 'Internal Server Error', head);
      });

    if ((method === 'GET' || head) && (path === '/' || path === '/index.html')) {
      answer(serveFile(res, 'index.html', 'no-cache', head));
    } else if ((method === 'GET' || head) && path.startsWith('/assets/')) {
      // Content-hashed names: a file's bytes never change under its name.
      answer(serveFile(res, path.slice(1), 'public, max-age=31536000, immutable', head));
    } else if ((method === 'GET' || head) && path === '/config.json') {
      send(
        res,
        200,
        { 'content-type': 'application/json', 'cache-control': 'no-store', ...pageHeaders },
        config,
        head,
      );
    } else if (method === 'GET' && path === '/local/authorize') {
      answer(options.signIn.page(query).then((r) => send(res, r.statusCode, r.headers, r.body, false)));
    } else if (method === 'POST' && (path === '/local/authorize' || path === '/local/token')) {
      answer(
        readForm(req).then(async (form) => {
          if (form === undefined) {
            return send(
              res,
              400,
              { 'content-type': 'text/plain' },
              'Send a form (application/x-www-form-urlencoded) of at most 16 KiB',
              false,
            );
          }
          const r =
            path === '/local/token' ? await options.signIn.token(form) : await options.signIn.authorize(form);
          send(res, r.statusCode, r.headers, r.body, false);
        }),
      );
    } else {
      next(req, res);
    }
  };
}

function send(
  res: ServerResponse,
  statusCode: number,
  headers: Record<string, string>,
  body: string | Buffer,
  head: boolean,
): void {
  res.writeHead(statusCode, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(head ? undefined : body);
}

function readForm(req: IncomingMessage): Promise<URLSearchParams | undefined> {
  return new Promise((resolve, reject) => {
    const type = req.headers['content-type'] ?? '';
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_FORM_BYTES) chunks.push(chunk);
    });
    req.once('error', reject);
    req.once('end', () => {
      if (size > MAX_FORM_BYTES || !type.startsWith('application/x-www-form-urlencoded')) resolve(undefined);
      else resolve(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
    });
  });
}
