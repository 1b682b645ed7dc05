/** Start the HTTP server with explicit timeouts; resolves with the bound URL. */
import http from 'node:http';
import type Koa from 'koa';

export async function listen(app: Koa, host: string, port: number): Promise<{ server: http.Server; url: string }> {
  const server = http.createServer(app.callback());
  server.headersTimeout = 30_000;
  server.requestTimeout = 300_000;
  server.keepAliveTimeout = 5_000;
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
