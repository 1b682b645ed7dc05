/**
 * Clip jobs: create (validate, price, hold credits, queue — one transaction), read, list, delete.
 * Running them is the queue runner's (job.runner.ts).
 */
import type { z } from 'zod';
import type { Principal } from '../auth/principal.js';
import { randomBase62 } from '../auth/api.key.js';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import { footprintRing } from '../catalog/bounds.wgs84.js';
import type { StacItems } from '../catalog/stac.items.js';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';
import { storedRasterInfo } from '../files/stored.raster.js';
import type { CreateFromAreaInput, CreateFromItemFields, JobsListInput } from '../operations/op.schemas.js';
import type { IdempotentAnswer } from '../operations/op.types.js';
import { aoiAreaKm2 } from '../raster/aoi/aoi.area.js';
import { parseAoi } from '../raster/aoi/aoi.parse.js';
import type { Aoi } from '../raster/aoi/aoi.types.js';
import { assertPlaceable } from '../raster/geo/crs.grid.check.js';
import type { RasterInfo } from '../raster/raster.types.js';
import type { JobService } from '../services.js';
import type { JobRow, NewJob } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import { balanceOf, holdRule } from './credits.js';
import type { DiskFloor } from './disk.floor.js';
import { toJobResource } from './job.resource.js';
import { requireOwnOrg } from './org.guard.js';

/** Hooks the queue runner gives the service. */
export interface JobRunnerHooks {
  /** A job was queued */
  wake(): void;
  /** Stop a job if this node runs it (delete); other nodes hear of it through the storage's notices */
  cancel(jobId: string): Promise<void>;
}

const AoiLoc = ['body', 'aoi_geometry'];

/** Most AOI positions (closing ones counted) a create accepts; the quote states it. */
export const MaxAoiVertices = 10_000;

/** km² as answered: 6 decimals (1 m²), as `cost_km2` on a job. */
function roundKm2(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** What an order costs: per output, the AOI's ellipsoidal area within that raster's footprint (km²), and their sum. */
export interface Price {
  /** Credits the order holds, km² */
  total: number;
  outputs: { key: string; area_km2: number }[];
}

/** Cost of clipping an AOI from rasters: the AOI's ellipsoidal area within each raster's footprint, summed. */
function priceAoi(aoi: Aoi, rasters: { key: string; info: RasterInfo }[]): Price {
  const outputs = rasters.map((r) => {
    const area = aoiAreaKm2(aoi, [[footprintRing(r.info)]]);
    if (area <= 0) throw new AppError('aoi_outside_area', `The AOI does not touch the data of "${r.key}"`, { issues: [{ loc: AoiLoc, msg: `The AOI does not overlap "${r.key}"`, type: 'aoi_outside_area' }] });
    return { key: r.key, area_km2: area };
  });
  return { total: outputs.reduce((n, o) => n + o.area_km2, 0), outputs };
}

/** An area order read and priced: what `clip.create_from_area` holds and `clip.quote_from_area` answers. */
interface AreaOrder {
  orgId: string;
  area: string;
  types: string[];
  aoi: Aoi;
  price: Price;
}

export class ClipJobService implements JobService {
  constructor(
    private readonly storage: Storage,
    private readonly catalog: AreaCatalog,
    private readonly items: StacItems,
    private readonly files: FileStore,
    private readonly runner: JobRunnerHooks,
    /** Largest request body the server reads (bytes), stated by the quote */
    private readonly maxBodyBytes: number,
    /** The free-space floor: creates are refused below it */
    private readonly disk?: DiskFloor,
  ) {}

  /** Validate and price an area order, exactly as create does (one code path for the quote and the hold). */
  private async priceAreaOrder(principal: Principal, input: z.output<typeof CreateFromAreaInput>): Promise<AreaOrder> {
    const orgId = requireOwnOrg(principal, input.organization_id);
    const area = await this.catalog.area(input.area);
    const types = [...new Set(input.mosaic_types)];
    if (types.length === 0) throw new AppError('invalid_input', 'mosaic_types must name at least one mosaic type', { issues: [{ loc: ['body', 'mosaic_types'], msg: 'List should have at least 1 item', type: 'too_short' }] });
    const rasters = await Promise.all(types.map(async (t) => ({ key: t, info: (await this.catalog.mosaic(area.id, t)).info })));
    const aoi = parseAoi(input.aoi_geometry, { loc: AoiLoc, maxVertices: MaxAoiVertices });
    return { orgId, area: area.id, types, aoi, price: priceAoi(aoi, rasters) };
  }

  async createFromArea(principal: Principal, input: z.output<typeof CreateFromAreaInput>, idempotency?: IdempotentAnswer): Promise<Record<string, unknown>> {
    const { orgId, area, types, aoi, price } = await this.priceAreaOrder(principal, input);
    return this.insert(principal, orgId, price.total, idempotency, {
      kind: 'area', area, source_item_id: null, outputs_requested: JSON.stringify(types), aoi: JSON.stringify(input.aoi_geometry),
      aoi_name: input.aoi_name ?? aoi.name ?? null, project_id: input.project_id ?? null, output_name: null,
    }, (job) => ({ job }));
  }

  async quoteFromArea(principal: Principal, input: z.output<typeof CreateFromAreaInput>): Promise<Record<string, unknown>> {
    const { orgId, area, aoi, price } = await this.priceAreaOrder(principal, input);
    const balance = await balanceOf(this.storage, orgId);
    return {
      area,
      organization_id: orgId,
      cost_km2: roundKm2(price.total),
      outputs: price.outputs.map((o) => ({ mosaic_type: o.key, area_km2: roundKm2(o.area_km2) })),
      aoi: { vertices: aoi.vertexCount, polygons: aoi.polygons.length, bbox: aoi.bbox },
      balance: { available_km2: balance.available_km2 === null ? null : roundKm2(balance.available_km2), held_km2: roundKm2(balance.held_km2), spent_km2: roundKm2(balance.spent_km2) },
      sufficient: balance.available_km2 === null || price.total <= balance.available_km2 + 1e-9,
      limits: { max_vertices: MaxAoiVertices, max_body_bytes: this.maxBodyBytes },
    };
  }

  async createFromItem(principal: Principal, input: z.output<typeof CreateFromItemFields>, idempotency?: IdempotentAnswer): Promise<Record<string, unknown>> {
    const itemId = input.source_item_id ?? input.item_id;
    if (!itemId) throw new AppError('invalid_input', 'source_item_id is required', { issues: [{ loc: ['body', 'source_item_id'], msg: 'Field required', type: 'missing' }] });
    const orgId = requireOwnOrg(principal, input.organization_id);
    const item = await this.items.get(itemId);
    const requested = input.asset_keys ?? input.assets ?? item.assets.filter((a) => a.isCog && a.file).map((a) => a.key);
    const keys = [...new Set(requested)];
    if (keys.length === 0) throw new AppError('invalid_input', `Item "${itemId}" has no GeoTIFF asset to clip`, { issues: [{ loc: ['body', 'asset_keys'], msg: 'No clippable asset', type: 'value_error' }] });
    const assets = keys.map((k) => {
      const a = item.assets.find((x) => x.key === k);
      if (!a) throw new AppError('not_found', `Item "${itemId}" has no asset "${k}" (it has: ${item.assets.map((x) => x.key).join(', ')})`);
      if (!a.isCog) throw new AppError('invalid_input', `Asset "${k}" is not a GeoTIFF`, { issues: [{ loc: ['body', 'asset_keys'], msg: `Asset "${k}" is not a GeoTIFF`, type: 'value_error' }] });
      if (!a.file) throw new AppError('asset_outside_data_dir', `Asset "${k}" of item "${itemId}" points outside the server's data directory and is not read; the operator can link the file into it`);
      return { ...a, file: a.file };
    });
    const rasters = await Promise.all(assets.map(async (a) => {
      const info = await storedRasterInfo(this.files, a.file);
      assertPlaceable(info);
      return { key: a.key, info };
    }));
    const aoi = parseAoi(input.aoi_geometry, { loc: AoiLoc, maxVertices: MaxAoiVertices });
    const cost = priceAoi(aoi, rasters).total;
    return this.insert(principal, orgId, cost, idempotency, {
      kind: 'item', area: null, source_item_id: itemId, outputs_requested: JSON.stringify(keys), aoi: JSON.stringify(input.aoi_geometry),
      aoi_name: input.aoi_name ?? aoi.name ?? null, project_id: input.project_id ?? null, output_name: input.output_name ?? null,
    }, (job) => ({ job, assets_to_clip: assets.map((a) => ({ asset_key: a.key, href: a.href, type: a.type })), asset_keys: keys }));
  }

  /** Hold the credits, insert the job and store the idempotent answer (one transaction), then wake the runners. */
  private async insert(
    principal: Principal, orgId: string, cost: number, idempotency: IdempotentAnswer | undefined,
    fields: Omit<NewJob, 'id' | 'org_id' | 'key_id' | 'cost_km2'>, shape: (job: ReturnType<typeof toJobResource>) => Record<string, unknown>,
  ): Promise<Record<string, unknown>> {
    await this.disk?.check();
    const id = `job_${randomBase62(16)}`;
    let body: Record<string, unknown> | undefined;
    const answer = (row: JobRow): Record<string, unknown> => (body ??= shape(toJobResource(row)));
    const row = await this.storage.jobs.create({
      job: { ...fields, id, org_id: orgId, key_id: principal.keyId, cost_km2: cost },
      checkHold: holdRule(cost),
      ...(idempotency ? { idempotency: { reservation: idempotency.reservation, answer: (r: JobRow) => JSON.stringify(answer(r)) } } : {}),
    });
    if (idempotency) idempotency.stored = true;
    this.runner.wake();
    void this.storage.notices.publish({ kind: 'queued', jobId: id }).catch(() => {});
    return answer(row);
  }

  async get(principal: Principal, jobId: string): Promise<Record<string, unknown>> {
    const row = await this.mustGet(principal, jobId);
    return { ...toJobResource(row), aoi_geometry: JSON.parse(row.aoi) as unknown };
  }

  async list(principal: Principal, input: z.output<typeof JobsListInput>): Promise<{ items: Record<string, unknown>[]; total: number }> {
    const orgId = requireOwnOrg(principal, input.organization_id);
    const page = await this.storage.jobs.list(orgId, { status: input.status ?? null, limit: input.limit, offset: input.offset });
    return { items: page.rows.map((r) => ({ ...toJobResource(r) })), total: page.total };
  }

  /**
   * Cancel (when unfinished), mark deleted and release an unspent hold in one transaction; then stop the
   * job where it runs (this node now; another node at once through the notices, at the latest at its next
   * heartbeat) and remove its files.
   */
  async delete(principal: Principal, jobId: string): Promise<Record<string, unknown>> {
    const found = await this.mustGet(principal, jobId);
    const outputs = await this.storage.jobs.outputs(found.id);
    const done = await this.storage.jobs.delete(found.id);
    if (!done) throw new AppError('job_not_found', `Job "${jobId}" does not exist`);
    const { before: row, after } = done;
    if (row.status === 'running' || row.status === 'queued') {
      void this.storage.notices.publish({ kind: 'canceled', jobId: row.id }).catch(() => {});
      await this.runner.cancel(row.id);
    }
    await this.files.deletePrefix(`jobs/${row.id}/`);
    return {
      id: row.id,
      deleted: true,
      status: after.status,
      canceled: after.status === 'canceled' && row.status !== 'canceled',
      files_removed: outputs.map((o) => o.file_name),
      bytes_removed: outputs.reduce((n, o) => n + o.size_bytes, 0),
      credits_released_km2: row.status !== 'completed' ? roundKm2(row.cost_km2) : 0,
    };
  }

  private async mustGet(principal: Principal, jobId: string): Promise<JobRow> {
    const row = await this.storage.jobs.getForOrg(principal.orgId, jobId);
    if (!row) throw new AppError('job_not_found', `Job "${jobId}" does not exist`);
    return row;
  }
}
