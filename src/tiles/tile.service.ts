/**
 * Map tiles of clip results and of area mosaics: `clip.job.tile_info` (TileJSON with signed URL
 * templates) and the tile GETs behind those templates (auth, 204 outside the layer, ETag / 304,
 * render, encode).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { z } from 'zod';
import { requireScope } from '../auth/authenticate.js';
import type { LinkAccess, Principal } from '../auth/principal.js';
import type { UrlSigner } from '../auth/url.signer.js';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import { StacItems } from '../catalog/stac.items.js';
import type { Config } from '../config.js';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';
import type { TileMetrics } from '../metrics/metrics.ports.js';
import type { TileInfoInput } from '../operations/op.schemas.js';
import type { RequestFacts } from '../operations/op.types.js';
import type { TileService } from '../services.js';
import type { JobRow, OutputRow } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import { captureRangeOf, itemCaptureRange } from './capture.range.js';
import { asAppError } from '../errors/as.app.error.js';
import { assertNotExpired } from '../jobs/job.expiry.js';
import { RasterCache } from './raster.cache.js';
import { resolveStyle } from './render.style.js';
import { tileIntersects } from './tile.grid.js';
import { LayerSource, type Layer } from './tile.layer.source.js';
import { overridesKey, TileMediaType, tileSizeOf, type TileRequest } from './tile.request.js';
import type { RenderTiming, TileTaskRunner } from './tile.task.js';
import { mintTileToken, verifyTileToken, type TileSubject } from './tile.token.js';
import { buildTileJson } from './tilejson.build.js';

/** Bumped when rendering changes, so clients' cached tiles (ETags) are not reused. */
export const RendererVersion = 'r2';

/** A tile response. */
export interface TileAnswer {
  status: 200 | 204 | 304;
  body?: Buffer;
  mediaType?: string;
  etag?: string;
  cacheControl: string;
  /**
   * Where a 200's time went, as a `Server-Timing` header value: `cache` for an encoded tile kept from an
   * earlier render; else `queue` (waiting for a render thread), `read`, `draw` and `encode` (in the thread),
   * and `joined` when it shared a render already under way.
   */
  timing?: string;
}

/** A `Server-Timing` value for a render: its stages in the thread, and the wait before (the remainder). */
export function renderTimingHeader(totalMs: number, t: RenderTiming | undefined): string {
  if (!t) return `render;dur=${totalMs.toFixed(1)}`;
  const stages: [string, number][] = [['queue', Math.max(0, totalMs - t.read - t.draw - t.encode)], ['read', t.read], ['draw', t.draw], ['encode', t.encode]];
  return stages.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', ');
}

/** True when an `If-None-Match` header matches an ETag (weak comparison, `*` included). */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').map((s) => s.trim().replace(/^W\//, '')).some((t) => t === '*' || t === etag);
}

/** Outputs in the order the job asked for them (the first is the top-level document of tile_info). */
function inRequestedOrder(outputs: OutputRow[], requestedJson: string): OutputRow[] {
  let order: string[] = [];
  try {
    order = JSON.parse(requestedJson) as string[];
  } catch {
    order = [];
  }
  const rank = (k: string): number => (order.includes(k) ? order.indexOf(k) : order.length);
  return [...outputs].sort((a, b) => rank(a.output_key) - rank(b.output_key));
}

/** How long a completed job's rows are trusted without reading the database again, ms (a delete takes effect within it). */
const RecheckMs = 2000;
/** Bytes of encoded tiles kept for repeat requests (other users, clients without a cache). */
const EncodedCacheBytes = 64 * 1024 * 1024;

export class TileRenderer implements TileService {
  /** Headers of opened files and the samples lazily computed render defaults read (renders run in `renderTask`'s threads) */
  private readonly cache: RasterCache;
  private readonly layers: LayerSource;
  private readonly items: StacItems;
  private readonly jobs = new LRUCache<string, { job: JobRow; outputs: OutputRow[] }>({ max: 4096, ttl: RecheckMs });
  private readonly encoded = new LRUCache<string, Buffer>({ maxSize: EncodedCacheBytes, sizeCalculation: (b) => Math.max(1, b.length) });
  private readonly rendering = new Map<string, Promise<{ body: Buffer; timing: string }>>();

  constructor(
    readonly storage: Storage,
    readonly catalog: AreaCatalog,
    readonly signer: UrlSigner,
    readonly config: Config,
    /** Reads, resamples and encodes a tile off the event loop (the tile worker pool) */
    private readonly renderTask: TileTaskRunner,
    files: FileStore,
    /** Where tile outcomes (cache hits, renders, 304s) and render times are counted */
    private readonly metrics?: TileMetrics,
  ) {
    this.cache = new RasterCache({ tileBytes: 32 * 1024 * 1024, open: (file, known) => files.openSource(file, known) });
    this.layers = new LayerSource(this.cache, catalog, files);
    this.items = new StacItems(files);
  }

  /** `clip.job.tile_info`: the TileJSON of the chosen output (or the first), every output's under `mosaics`. */
  async tileInfo(principal: Principal, input: z.output<typeof TileInfoInput>, request: RequestFacts): Promise<Record<string, unknown>> {
    const job = await this.completedJob(principal.orgId, input.job_id);
    const outputs = inRequestedOrder(await this.storage.jobs.outputs(job.id), job.outputs_requested);
    const chosen = input.mosaic_type ? outputs.filter((o) => o.output_key === input.mosaic_type) : outputs;
    if (chosen.length === 0) {
      throw new AppError('output_not_found', `Job "${job.id}" has no output "${input.mosaic_type ?? ''}" (it has: ${outputs.map((o) => o.output_key).join(', ') || 'none'})`);
    }
    const { token, exp } = mintTileToken(this.signer, principal, { kind: 'job', jobId: job.id }, this.config.tileTokenTtlS);
    const docs = await Promise.all(chosen.map(async (out) => {
      const layer = await this.layers.jobLayer(job, out);
      const base = `${request.baseUrl}/v1/tiles/jobs/${encodeURIComponent(job.id)}/${encodeURIComponent(out.output_key)}`;
      return buildTileJson({
        name: `${job.output_name ?? job.aoi_name ?? job.id} · ${out.output_key}`,
        description: `Clip ${job.id} (${out.file_name})`,
        mosaicType: out.output_key, baseTileUrl: base, token, tokenExp: exp, extent: layer.extent, info: layer.info,
        defaults: layer.defaults, style: resolveStyle(layer.info, layer.defaults), captureRange: await this.jobCaptureRange(job, out, layer),
      });
    }));
    return { ...docs[0]!, job_id: job.id, mosaics: Object.fromEntries(docs.map((d) => [d.mosaic_type as string, d])) };
  }

  /** TileJSON of an area mosaic (Bearer `clip:read`), with a token for that area's tiles. */
  async areaTileJson(principal: Principal, area: string, mosaicType: string, baseUrl: string): Promise<Record<string, unknown>> {
    requireScope(principal, 'clip:read');
    const layer = await this.layers.areaLayer(area, mosaicType);
    const { token, exp } = mintTileToken(this.signer, principal, { kind: 'area', area }, this.config.tileTokenTtlS);
    const entry = await this.catalog.area(area);
    return buildTileJson({
      name: `${entry.title} · ${mosaicType}`,
      ...(entry.description ? { description: entry.description } : {}),
      mosaicType, baseTileUrl: `${baseUrl}/v1/tiles/areas/${encodeURIComponent(area)}/${encodeURIComponent(mosaicType)}`,
      token, tokenExp: exp, extent: layer.extent, info: layer.info, defaults: layer.defaults, style: resolveStyle(layer.info, layer.defaults),
      captureRange: captureRangeOf(entry.captureDates, mosaicType, layer.extent.bounds),
    });
  }

  /** A tile of a completed job's output. */
  async jobTile(access: LinkAccess, jobId: string, mosaicType: string, req: TileRequest, ifNoneMatch?: string): Promise<TileAnswer> {
    const orgId = await this.orgOf(access, { kind: 'job', jobId });
    const key = `${orgId}|${jobId}`;
    let hit = this.jobs.get(key);
    if (!hit) {
      const job = await this.completedJob(orgId, jobId);
      hit = { job, outputs: await this.storage.jobs.outputs(job.id) };
      this.jobs.set(key, hit);
    }
    const job = hit.job;
    const out = hit.outputs.find((o) => o.output_key === mosaicType);
    if (!out) throw new AppError('output_not_found', `Job "${jobId}" has no output "${mosaicType}"`);
    return this.tile(await this.layers.jobLayer(job, out), req, ifNoneMatch, 'job');
  }

  /** A tile of an area's mosaic. */
  async areaTile(access: LinkAccess, area: string, mosaicType: string, req: TileRequest, ifNoneMatch?: string): Promise<TileAnswer> {
    await this.orgOf(access, { kind: 'area', area });
    try {
      return await this.tile(await this.layers.areaLayer(area, mosaicType), req, ifNoneMatch, 'area');
    } catch (err) {
      if (asAppError(err).code !== 'source_changed') throw err;
      // The mosaic was replaced (in the bucket) since its layer was read: read it again, once.
      this.layers.forgetArea(area, mosaicType);
      return this.tile(await this.layers.areaLayer(area, mosaicType), req, ifNoneMatch, 'area');
    }
  }

  private async orgOf(access: LinkAccess, subject: TileSubject): Promise<string> {
    if ('token' in access) return (await verifyTileToken(this.signer, this.storage, access.token, subject)).orgId;
    const principal = await access.principal();
    requireScope(principal, 'clip:read');
    return principal.orgId;
  }

  private async completedJob(orgId: string, jobId: string): Promise<JobRow> {
    const job = await this.storage.jobs.getForOrg(orgId, jobId);
    if (!job) throw new AppError('job_not_found', `Job "${jobId}" does not exist`);
    if (job.status !== 'completed') throw new AppError('job_not_ready', `Job "${jobId}" is ${job.status}; tiles are available once it is completed`, { extra: { job_status: job.status } });
    assertNotExpired(job);
    return job;
  }

  private async tile(layer: Layer, req: TileRequest, ifNoneMatch: string | undefined, kind: 'job' | 'area'): Promise<TileAnswer> {
    const cacheControl = layer.cacheControl;
    if (req.z < layer.extent.minzoom || !tileIntersects(req, layer.extent.mercator)) {
      this.metrics?.tile(kind, 'empty');
      return { status: 204, cacheControl };
    }
    const style = resolveStyle(layer.info, layer.defaults, req.overrides);
    const etag = `"${createHash('sha1').update([RendererVersion, layer.key, req.z, req.x, req.y, req.scale, req.format, overridesKey(req.overrides)].join('/')).digest('base64url')}"`;
    if (etagMatches(ifNoneMatch, etag)) {
      this.metrics?.tile(kind, 'not_modified');
      return { status: 304, etag, cacheControl };
    }
    const answer = { status: 200 as const, mediaType: TileMediaType[req.format], etag, cacheControl };
    const kept = this.encoded.get(etag);
    if (kept) {
      this.metrics?.tile(kind, 'cached');
      return { ...answer, body: kept, timing: 'cache;desc=hit' };
    }
    // Concurrent requests for one tile share one render.
    let p = this.rendering.get(etag);
    const joined = p !== undefined;
    this.metrics?.tile(kind, joined ? 'joined' : 'rendered');
    if (!p) {
      p = this.render(layer, req, style).finally(() => this.rendering.delete(etag));
      this.rendering.set(etag, p);
    }
    const { body, timing } = await p;
    this.encoded.set(etag, body);
    return { ...answer, body, timing: joined ? `joined, ${timing}` : timing };
  }

  private async render(layer: Layer, req: TileRequest, style: ReturnType<typeof resolveStyle>): Promise<{ body: Buffer; timing: string }> {
    const started = performance.now();
    const answer = await this.renderTask({ file: layer.file, key: layer.key, z: req.z, x: req.x, y: req.y, size: tileSizeOf(req.scale), format: req.format, style });
    if ('error' in answer) throw asAppError(answer.error);
    const ms = performance.now() - started;
    this.metrics?.tileRendered(ms / 1000);
    const b = answer.body;
    return { body: Buffer.from(b.buffer, b.byteOffset, b.byteLength), timing: renderTimingHeader(ms, answer.timing) };
  }

  private async jobCaptureRange(job: JobRow, out: OutputRow, layer: Layer): Promise<{ start: string; end: string } | null> {
    try {
      if (job.kind === 'area' && job.area) return captureRangeOf((await this.catalog.area(job.area)).captureDates, out.output_key, layer.extent.bounds);
      if (job.kind === 'item' && job.source_item_id) return itemCaptureRange((await this.items.get(job.source_item_id)).properties);
    } catch {
      // The area or item may have been removed since the clip; the range is then unknown.
    }
    return null;
  }

  close(): void {
    this.layers.clear();
    this.jobs.clear();
    this.encoded.clear();
    void this.cache.close();
  }
}
