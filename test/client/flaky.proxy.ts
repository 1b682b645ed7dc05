/**
 * A loopback HTTP proxy in front of a live geopera that can lose answers: per request it forwards,
 * forwards and then answers 503 (as a proxy that lost the upstream answer), forwards and then drops
 * the connection, or answers a status itself. It records what each request carried and what upstream said.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';

export type Fate =
  | { kind: 'forward' }
  | { kind: 'forward-then-503' }
  | { kind: 'forward-then-reset' }
  | { kind: 'answer'; status: number; headers?: Record<string, string>; body?: unknown };

export interface Seen {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** Upstream's answer, when forwarded */
  upstream?: { status: number; headers: Record<string, string>; body: string };
}

export interface FlakyProxy {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

const Hop = new Set(['connection', 'keep-alive', 'transfer-encoding', 'content-length', 'host']);

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** `fate(seen, n)` decides for the n-th request (0-based) to a path. */
export async function startFlakyProxy(upstream: string, fate: (req: Seen, n: number) => Fate): Promise<FlakyProxy> {
  const counts = new Map<string, number>();
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const entry: Seen = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: body.toString('utf8') };
      seen.push(entry);
      const n = counts.get(entry.path) ?? 0;
      counts.set(entry.path, n + 1);
      const f = fate(entry, n);
      if (f.kind === 'answer') {
        res.writeHead(f.status, { 'content-type': 'application/problem+json', ...f.headers });
        res.end(JSON.stringify(f.body ?? { title: 'Injected', status: f.status, detail: 'injected by the test proxy', code: 'injected' }));
        return;
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (!Hop.has(k) && typeof v === 'string') headers[k] = v;
      const up = await fetch(`${upstream}${entry.path}`, { method: entry.method, headers, body: entry.method === 'GET' ? undefined : body });
      const upBody = Buffer.from(await up.arrayBuffer());
      const upHeaders: Record<string, string> = {};
      up.headers.forEach((v, k) => { if (!Hop.has(k)) upHeaders[k] = v; });
      entry.upstream = { status: up.status, headers: upHeaders, body: upBody.toString('utf8') };
      if (f.kind === 'forward-then-reset') {
        req.socket.destroy();
        return;
      }
      if (f.kind === 'forward-then-503') {
        res.writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '0' });
        res.end(JSON.stringify({ title: 'Service Unavailable', status: 503, detail: 'upstream answer lost', code: 'unavailable' }));
        return;
      }
      res.writeHead(up.status, upHeaders);
      res.end(upBody);
    })().catch((err: unknown) => {
      res.destroy(err as Error);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
