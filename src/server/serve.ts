/** `geopera serve` / `npm start`: the whole service in one process. */
import path from 'node:path';
import { loadConfig } from '../config.js';
import { createApp } from '../http/app.js';
import { createLogger } from '../log.js';
import { codecsName, nativeCodecs } from '../raster/native/codecs.native.js';
import { createRuntime } from './services.create.js';
import { listen } from './http.server.js';
import { clipPoolReady, warmClipPool } from './worker.pool.js';

export async function serve(): Promise<void> {
  const config = loadConfig();
  const log = createLogger(config.logLevel);
  const runtime = await createRuntime(config, log);
  await clipPoolReady(runtime.pool, log);
  if (config.warmup) {
    // A clip thread warmed up by a small clip, and a map tile render thread started, side by side.
    const [, tileThread] = await Promise.all([warmClipPool(runtime.pool, path.join(config.dataDir, '.warmup'), log), runtime.tilePool.warm()]);
    if (!tileThread) log.warn({}, 'TilePool:SlowStart');
  }
  const app = createApp(runtime.services, runtime.routers);
  const { server, url } = await listen(app, config.host, config.port);
  await runtime.runner.start();
  log.info({ url, dataDir: config.dataDir, files: runtime.files.location, workers: config.workers, nodeId: config.nodeId, database: runtime.services.storage.backend, codecs: codecsName(), mallocArenas: nativeCodecs?.mallocArenas?.() ?? null }, 'Server:Listening');
  process.stdout.write(`geopera listening on ${url}\n`);

  let closing = false;
  const shutdown = (signal: string): void => {
    if (closing) return;
    closing = true;
    log.info({ signal, graceMs: config.shutdownGraceMs }, 'Server:Stopping');
    server.close();
    server.closeIdleConnections();
    runtime.close().then(() => {
      log.info('Server:Stopped');
      process.exit(0);
    }, (err: unknown) => {
      log.error({ err }, 'Server:StopFailed');
      process.exit(1);
    });
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
