/**
 * The event-loop probe, in a process of its own (so the load generator's busy loop does not delay
 * it): `GET /v1/op` every 100 ms on one keep-alive connection, printing each latency in ms on a line.
 * The route does no I/O, so its latency beyond the idle one is time the server's event loop was busy.
 *   node --import tsx scripts/load/load.probe.ts URL [everyMs]
 */
import http from 'node:http';

const [url, every = '100'] = process.argv.slice(2);
if (!url) throw new Error('usage: load.probe.ts URL [everyMs]');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
process.stdout.on('error', () => process.exit(0));
for (;;) {
  const started = performance.now();
  const ok = await new Promise<boolean>((resolve) => {
    const req = http.get(`${url}/v1/op`, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(true));
    });
    req.on('error', () => resolve(false));
  });
  if (ok) process.stdout.write(`${(performance.now() - started).toFixed(2)}\n`);
  await new Promise((r) => setTimeout(r, Number(every)));
}
