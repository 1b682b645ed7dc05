/**
 * The domain services operations call. `createServices` (src/server/services.create.ts) wires real ones;
 * interfaces live here so the operations layer depends on shapes, not on construction.
 */
import type { z } from 'zod';
import type { Principal } from './auth/principal.js';
import type { Config } from './config.js';
import type { Logger } from './log.js';
import type { NodeMetrics } from './metrics/node.metrics.js';
import type { CreateFromAreaInput, CreateFromItemFields, DownloadInput, JobsListInput, TileInfoInput } from './operations/op.schemas.js';
import type { FileAnswer, IdempotentAnswer, RequestFacts } from './operations/op.types.js';
import type { Storage } from './storage/storage.js';
import type { DiskFloor } from './jobs/disk.floor.js';
import type { StacService } from './stac/stac.service.js';

export interface CatalogService {
  listAreas(): Promise<unknown[]>;
  mosaics(area: string): Promise<unknown[]>;
  captureDates(area: string): Promise<unknown[]>;
}

export interface JobService {
  createFromArea(principal: Principal, input: z.output<typeof CreateFromAreaInput>, idempotency?: IdempotentAnswer): Promise<Record<string, unknown>>;
  createFromItem(principal: Principal, input: z.output<typeof CreateFromItemFields>, idempotency?: IdempotentAnswer): Promise<Record<string, unknown>>;
  /** What `createFromArea` with this input would hold, and the org's balance (nothing is written) */
  quoteFromArea(principal: Principal, input: z.output<typeof CreateFromAreaInput>): Promise<Record<string, unknown>>;
  get(principal: Principal, jobId: string): Promise<Record<string, unknown>>;
  list(principal: Principal, input: z.output<typeof JobsListInput>): Promise<{ items: Record<string, unknown>[]; total: number }>;
  delete(principal: Principal, jobId: string): Promise<Record<string, unknown>>;
}

export interface DownloadService {
  descriptors(principal: Principal, jobId: string, request: RequestFacts): Promise<Record<string, unknown>[]>;
  descriptor(principal: Principal, jobId: string, outputKey: string, request: RequestFacts): Promise<Record<string, unknown>>;
  open(principal: Principal, input: z.output<typeof DownloadInput>, request: RequestFacts): Promise<FileAnswer>;
}

export interface TileService {
  tileInfo(principal: Principal, input: z.output<typeof TileInfoInput>, request: RequestFacts): Promise<Record<string, unknown>>;
}

export interface Services {
  config: Config;
  storage: Storage;
  log: Logger;
  catalog: CatalogService;
  jobs: JobService;
  downloads: DownloadService;
  tiles: TileService;
  /** Counts interactive work (each API call while its handler runs, each map tile while it is drawn) for the clip threads' scheduling */
  interactive?: { during<T>(work: () => Promise<T>): Promise<T>; inFlight(): number };
  /** Whether the worker pool answers (for /healthz) */
  poolHealthy(): Promise<boolean>;
  /** Jobs' STAC Items (and the signed `stac_url` of a job resource) */
  stac: StacService;
  /** The free-space floor of the data directory (creates, /healthz) */
  disk: DiskFloor;
  /** Whether the file store answers (for /healthz: a short listing of an S3 prefix, a look at the data directory) */
  filesHealthy(): Promise<boolean>;
  /** This node's metrics (`GET /metrics`) */
  metrics: NodeMetrics;
}
