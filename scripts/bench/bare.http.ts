/**
 * The HTTP floor of a map tile on this machine: a bare node:http server (a child process, keep-alive, no
 * routing, no auth, no render) answering bodies of the same sizes as the tiles, fetched by the benches'
 * own client with the same requests in flight. Its server CPU and client CPU per request are what any
 * Node.js tile server and this client pay before a tile's render and encode, so with the encode-only CPU
 * per tile `e` the share of the encode-only rate a server sharing these cores with this client can reach is
 * at most e / (e + server + client).
 */
import { spawn } from 'node:child_process';
import { cpuSeconds, get, inFlight } from './bench.child.js';

const ServerCode = `
const http = require('node:http');
const sizes = JSON.parse(process.env.BARE_SIZES);
const bodies = sizes.map((n, i) => Buffer.alloc(n, i & 255));
const server = http.createServer((req, res) => {
  const body = bodies[Number(req.url.slice(1)) % bodies.length];
  res.writeHead(200, { 'content-type': 'image/png', 'content-length': body.length });
  res.end(body);
});
server.keepAliveTimeout = 60000;
server.listen(0, '127.0.0.1', () => process.stdout.write('port ' + server.address().port + '\\n'));
`;

/** Requests a second, and server and client CPU ms per request, for `sizes` fetched with `width` in flight (twice: the first warms up). */
export async function bareHttpCost(sizes: number[], width: number): Promise<{ rate: number; serverMs: number; clientMs: number }> {
  const child = spawn(process.execPath, ['-e', ServerCode], { env: { ...process.env, BARE_SIZES: JSON.stringify(sizes) }, stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    const port = await new Promise<number>((resolve, reject) => {
      child.stdout!.once('data', (b: Buffer) => resolve(Number(/port (\d+)/.exec(b.toString())![1])));
      child.once('exit', (code) => reject(new Error(`bare server exited with ${code}`)));
    });
    // Three passes over the tiles a round: /proc counts CPU in 10 ms ticks.
    const ids = [...sizes.keys(), ...sizes.keys(), ...sizes.keys()];
    let result = { rate: 0, serverMs: 0, clientMs: 0 };
    for (let round = 0; round < 2; round++) {
      const server0 = cpuSeconds(child.pid!);
      const client0 = process.cpuUsage();
      const t0 = performance.now();
      await inFlight(ids, width, async (i) => {
        const res = await get(`http://127.0.0.1:${port}/${i}`);
        if (res.status !== 200) throw new Error(`bare server answered ${res.status}`);
      });
      const wallS = (performance.now() - t0) / 1000;
      const client = process.cpuUsage(client0);
      result = { rate: ids.length / wallS, serverMs: ((cpuSeconds(child.pid!) - server0) * 1000) / ids.length, clientMs: (client.user + client.system) / 1000 / ids.length };
    }
    return result;
  } finally {
    child.kill('SIGTERM');
  }
}
