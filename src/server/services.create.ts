/** Wire the real services from configuration (the composition root used by main and by tests). */
import { randomBytes } from 'node:crypto';
import type { Piscina } from 'piscina';
import { bootstrapKey } from '../auth/key.service.js';
import { UrlSigner } from '../auth/url.signer.js';
import { AreaCatalog } from '../catalog/area.catalog.js';
import { StacItems } from '../catalog/stac.items.js';
import type { Config } from '../config.js';
import { FileDownloads } from '../downloads/download.service.js';
import { consoleRouter } from '../http/console.routes.js';
import type { FileStore } from '../files/file.store.js';
import { openFileStore } from '../files/file.store.open.js';
import { fileRouter } from '../http/file.routes.js';
import type { RouterFactory } from '../http/app.js';
import { ClipJobService } from '../jobs/job.service.js';
import { JobRunner } from '../jobs/job.runner.js';
import type { Logger } from '../log.js';
import { NodeMetrics } from '../metrics/node.metrics.js';
import type { Services } from '../services.js';
import { openStorage, type Storage } from '../storage/storage.js';
import { TileRenderer } from '../tiles/tile.service.js';
import { tileRouter } from '../tiles/tile.routes.js';
import { InteractiveLoad } from './interactive.load.js';
import { createTilePool } from './tile.pool.js';
import { createClipPool, pingPool } from './worker.pool.js';

export interface Runtime {
  services: Services;
  routers: RouterFactory[];
  runner: JobRunner;
  pool: Piscina;
  /** Areas, catalog and job outputs: the data directory or an S3 bucket prefix */
  files: FileStore;
  /** Stop jobs (grace period), the pool and the database. */
  close(graceMs?: number): Promise<void>;
}

/** How often a node drops expired idempotency records, old session tokens and ended rate windows, ms. */
const SweepEveryMs = 10 * 60_000;
/** How long /healthz waits for the object store, ms (a load balancer's check must answer within its own timeout). */
const FilesPingMs = 2000;
/** The version `geopera_node_info` reports (package.json's). */
const Version = '0.1.0';

export async function createRuntime(config: Config, log: Logger, opts: { storage?: Storage; leaseMs?: number } = {}): Promise<Runtime> {
  const storage = opts.storage ?? await openStorage({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, poolSize: config.databasePool, log });
  const bootId = await bootstrapKey(storage, config.bootstrapKey);
  if (bootId) log.info({ keyId: bootId, orgId: 'default' }, 'Bootstrap:KeyCreated');
  // One secret for every node: a link or tile token made by one verifies on all.
  const secret = config.urlSecret ?? await storage.settings.getOrCreate('url_secret', () => randomBytes(32).toString('base64url'));
  const signer = new UrlSigner(secret);
  const files = await openFileStore(config.files);
  const metrics = new NodeMetrics();
  const catalog = new AreaCatalog(files);
  const items = new StacItems(files);
  // API calls in flight: the clip threads keep fewer tiles at once while any wait.
  const interactive = new InteractiveLoad();
  const pool = createClipPool(config.workers, config.files, config.workerHeapMb, (err) => log.error({ err }, 'ClipPool:ThreadDied'), interactive.shared);
  const runner = new JobRunner(storage, catalog, items, files, pool, log, { concurrency: config.workers, leaseMs: opts.leaseMs ?? config.jobLeaseMs, nodeId: config.nodeId, metrics });
  const downloads = new FileDownloads(storage, signer, files, config.linkTtlS, metrics);
  const tilePool = createTilePool(config.tileWorkers, Math.floor(config.tileCacheBytes / config.tileWorkers), config.files, (err) => log.error({ err }, 'TilePool:ThreadDied'));
  const tiles = new TileRenderer(storage, catalog, signer, config, (task) => tilePool.run(task), files, metrics);
  metrics.readAtScrape({
    storage, nodeId: config.nodeId, files: config.files.kind, version: Version,
    runningHere: () => runner.runningCount, tileThreads: () => tilePool.threads(), s3Calls: files.calls ? () => files.calls! : undefined,
  });
  const services: Services = {
    config,
    storage,
    log,
    catalog,
    jobs: new ClipJobService(storage, catalog, items, files, runner, config.maxBodyBytes),
    downloads,
    tiles,
    interactive,
    // Clip threads and tile threads both answer (or are busy working).
    poolHealthy: async () => (await Promise.all([pingPool(pool, () => runner.busy), tilePool.healthy()])).every(Boolean),
    filesHealthy: () => files.ping(FilesPingMs),
    metrics,
  };
  const sweeper = setInterval(() => {
    storage.sweep().catch((err: unknown) => log.warn({ err }, 'Storage:SweepFailed'));
  }, SweepEveryMs);
  sweeper.unref();
  return {
    services,
    routers: [fileRouter(downloads), tileRouter(tiles), consoleRouter()],
    runner,
    pool,
    files,
    async close(graceMs = config.shutdownGraceMs) {
      clearInterval(sweeper);
      await runner.stop(graceMs);
      await pool.destroy();
      await tilePool.destroy();
      tiles.close();
      await storage.close();
    },
  };
}
