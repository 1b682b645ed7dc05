/** Start the HTTP server with explicit timeouts; resolves with the bound URL. */
import http from 'node:http';
import type Koa from 'koa';

export async function listen(app: Koa, host: string, port: number): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(app.callback());
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
  // Idle keep-alive sockets live longer than a load balancer's usual 60 s: a server that closes an idle
  // socket just as the client reuses it resets that request (with Node's 5 s default, a busy client that
  // paused a few seconds between two POSTs saw ECONNRESET). Clients take the hint from `Keep-Alive: timeout=65`.
  server.keepAliveTimeout = 65_000;
  server.timeout = 0; // downloads of large files may take long; requestTimeout bounds the request side
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const addr = server.address();
  const bound = typeof addr === 'object' && addr ? addr.port : port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return { server, url: `http://${shownHost}:${bound}` };
}
