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
import { createTilePool, type TilePool } from './tile.pool.js';
import { createClipPool, pingPool } from './worker.pool.js';
import { systemClock, type Clock } from '../events/clock.js';
import { EventStreams } from '../events/event.stream.js';
import { RetentionSweeper } from '../events/retention.sweeper.js';
import { WebhookDispatcher } from '../events/webhook.dispatcher.js';
import { eventRouter } from '../http/event.routes.js';
import { stacRouter } from '../http/stac.routes.js';
import { DiskFloor } from '../jobs/disk.floor.js';
import { StacService } from '../stac/stac.service.js';

export interface Runtime {
  services: Services;
  routers: RouterFactory[];
  runner: JobRunner;
  pool: Piscina;
  /** The map tile render threads */
  tilePool: TilePool;
  /** Areas, catalog and job outputs: the data directory or an S3 bucket prefix */
  files: FileStore;
  /** The lifecycle past completed: webhook delivery, retention sweeps, event streams */
  lifecycle: { webhooks: WebhookDispatcher; sweeper: RetentionSweeper; streams: EventStreams; clock: Clock };
  /** Stop jobs (grace period), the pool and the database. */
  close(graceMs?: number): Promise<void>;
}

/** How often a node drops expired idempotency records, old session tokens and ended rate windows, ms. */
const SweepEveryMs = 10 * 60_000;
/** How long /healthz waits for the object store, ms (a load balancer's check must answer within its own timeout). */
const FilesPingMs = 2000;
/** The version `geopera_node_info` reports (package.json's). */
const Version = '0.1.0';

/**
 * `clock`: the lifecycle loops' time (tests pass one they move by hand); `lifecycle: 'manual'` leaves the
 * webhook dispatcher and the retention sweeper unstarted (tests drive them with `drain()` and `sweep()`).
 */
export async function createRuntime(config: Config, log: Logger, opts: { storage?: Storage; leaseMs?: number; clock?: Clock; lifecycle?: 'auto' | 'manual' } = {}): Promise<Runtime> {
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
  // API calls and map tiles being drawn: the clip threads keep fewer tiles at once while any wait.
  const interactive = new InteractiveLoad();
  const pool = createClipPool(config.workers, config.files, config.workerHeapMb, (err) => log.error({ err }, 'ClipPool:ThreadDied'), interactive.shared);
  const disk = new DiskFloor(config.dataDir, config.minFreeBytes);
  const runner = new JobRunner(storage, catalog, items, files, pool, log, {
    concurrency: config.workers, leaseMs: opts.leaseMs ?? config.jobLeaseMs, nodeId: config.nodeId, retentionDays: config.retentionDays, disk, metrics,
  });
  const downloads = new FileDownloads(storage, signer, files, config.linkTtlS, metrics);
  const tilePool = createTilePool(config.tileWorkers, Math.floor(config.tileCacheBytes / config.tileWorkers), config.files, (err) => log.error({ err }, 'TilePool:ThreadDied'));
  // A map tile being drawn counts as interactive too (a tile answered from the encoded-tile cache does not).
  const tiles = new TileRenderer(storage, catalog, signer, config, (task) => interactive.during(() => tilePool.run(task)), files, metrics);
  metrics.readAtScrape({
    storage, nodeId: config.nodeId, files: config.files.kind, version: Version,
    runningHere: () => runner.runningCount, tileThreads: () => tilePool.threads(), s3Calls: files.calls ? () => files.calls! : undefined,
  });
  const clock = opts.clock ?? systemClock(() => storage.now());
  const stac = new StacService(storage, catalog, items, files, signer, config);
  const webhooks = new WebhookDispatcher(storage, log, { nodeId: config.nodeId, concurrency: config.webhooks.concurrency, timeoutMs: config.webhooks.timeoutMs, allowPrivate: config.webhooks.allowPrivate, clock });
  const sweeper = new RetentionSweeper(storage, files, log, { nodeId: config.nodeId, clock });
  const streams = new EventStreams(storage, clock, log, { perOrg: config.eventStreamsPerOrg });
  streams.start();
  if (opts.lifecycle !== 'manual') {
    webhooks.start();
    sweeper.start();
  }
  const services: Services = {
    config,
    storage,
    log,
    catalog,
    stac,
    disk,
    jobs: new ClipJobService(storage, catalog, items, files, runner, config.maxBodyBytes, disk),
    downloads,
    tiles,
    interactive,
    // Clip threads and tile threads both answer (or are busy working).
    poolHealthy: async () => (await Promise.all([pingPool(pool, () => runner.busy), tilePool.healthy()])).every(Boolean),
    filesHealthy: () => files.ping(FilesPingMs),
    metrics,
  };
  const storageSweeper = setInterval(() => {
    storage.sweep().catch((err: unknown) => log.warn({ err }, 'Storage:SweepFailed'));
  }, SweepEveryMs);
  storageSweeper.unref();
  return {
    services,
    routers: [fileRouter(downloads), tileRouter(tiles), consoleRouter(), eventRouter(streams), stacRouter(stac)],
    runner,
    pool,
    tilePool,
    files,
    lifecycle: { webhooks, sweeper, streams, clock },
    async close(graceMs = config.shutdownGraceMs) {
      clearInterval(storageSweeper);
      streams.stop();
      await Promise.all([webhooks.stop(), sweeper.stop()]);
      await runner.stop(graceMs);
      await pool.destroy();
      await tilePool.destroy();
      tiles.close();
      await storage.close();
    },
  };
}
