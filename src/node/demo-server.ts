// `npm run demo` / `prunelab demo`: a static server for dist/web/ on 127.0.0.1, Node built-ins
// only. Every response carries COOP same-origin and COEP require-corp (so the page is
// cross-origin isolated, as threads sharing memory will need) and a correct MIME type (module
// scripts and workers are refused without a JavaScript one). GET and HEAD only; nothing outside
// the root is served.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { ConfigError } from '../core/errors.js';
import { UsageError } from './usage.js';

export const MIME: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.jsonl': 'application/x-ndjson; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

/** dist/web/, next to this file's dist/src/node/. */
export function defaultWebRoot(): string {
  return fileURLToPath(new URL('../../web/', import.meta.url));
}

export interface DemoServerOptions {
  /** The folder to serve (default dist/web/). */
  root?: string;
  /** 0 picks a free port (default 0). */
  port?: number;
  /** Send COOP/COEP (default true); false serves a page that is not cross-origin isolated. */
  isolate?: boolean;
}

export interface DemoServer {
  url: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

export const HOST = '127.0.0.1';

export function startDemoServer(opts: DemoServerOptions = {}): Promise<DemoServer> {
  const root = resolve(opts.root ?? defaultWebRoot());
  if (!existsSync(join(root, 'index.html'))) {
    return Promise.reject(new UsageError(`no demo page at ${join(root, 'index.html')}; run \`npm run build\` first`));
  }
  const isolate = opts.isolate ?? true;
  const server = createServer((req, res) => handle(root, isolate, req, res));
  return new Promise((resolveP, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, HOST, () => {
      server.off('error', reject);
      const addr = server.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      resolveP({
        url: `http://${HOST}:${port}/`,
        port,
        server,
        close: () =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

function handle(root: string, isolate: boolean, req: IncomingMessage, res: ServerResponse): void {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-cache',
    'Cross-Origin-Resource-Policy': 'same-origin',
  };
  if (isolate) {
    headers['Cross-Origin-Opener-Policy'] = 'same-origin';
    headers['Cross-Origin-Embedder-Policy'] = 'require-corp';
  }
  const send = (status: number, body: string) => {
    res.writeHead(status, {
      ...headers,
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    send(405, 'only GET and HEAD\n');
    return;
  }
  let path: string;
  try {
    path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  } catch {
    send(400, 'bad path\n');
    return;
  }
  if (path.includes('\0')) {
    send(400, 'bad path\n');
    return;
  }
  let file = normalize(join(root, path));
  if (file !== root && !file.startsWith(root + sep)) {
    send(403, 'outside the served folder\n');
    return;
  }
  try {
    if (statSync(file).isDirectory()) file = join(file, 'index.html');
  } catch {
    /* 404 below */
  }
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new Error('not a file');
    size = st.size;
  } catch {
    send(404, `not found: ${path}\n`);
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': MIME[extname(file).toLowerCase()] ?? 'application/octet-stream',
    'Content-Length': size,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res);
}

/** The command: serves until Ctrl-C. Port from --port, else $PORT, else 8080 (or a free one when 8080 is taken). */
export async function runDemoServer(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { port: { type: 'string' }, 'no-isolation': { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(
      `usage: prunelab demo [--port N] [--no-isolation]\n\nServes the browser demo (dist/web/) on http://${HOST}:PORT/ with COOP/COEP headers.\n  --port N          port (default $PORT or 8080; 0 picks a free one)\n  --no-isolation    leave out COOP/COEP (the page then runs without cross-origin isolation)\n`,
    );
    return 0;
  }
  const text = values.port ?? process.env.PORT;
  const port = text === undefined ? 8080 : Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError('port', text, 'an integer in [0, 65535]');
  }
  const isolate = values['no-isolation'] !== true;
  let srv: DemoServer;
  try {
    srv = await startDemoServer({ port, isolate });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || text !== undefined) throw e;
    srv = await startDemoServer({ port: 0, isolate });
    process.stderr.write(`prunelab demo: port ${port} is taken; using ${srv.port}\n`);
  }
  process.stdout.write(
    `prunelab demo: serving ${defaultWebRoot()} at ${srv.url}${isolate ? ' (cross-origin isolated)' : ''}\nOpen ${srv.url} in a browser; Ctrl-C stops.\n`,
  );
  await new Promise<void>((r) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      r();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await srv.close();
  return 0;
}
