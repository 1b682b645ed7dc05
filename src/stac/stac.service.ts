/**
 * STAC for every result: a completed job's Item (Bearer `clip:read`, or the signed `stac_url` the job resource
 * hands out), an org's completed jobs as an ItemCollection, and the outputs' thumbnails. Assets link to signed,
 * egress-enforced downloads minted for the key that asked; an expired job answers 410 `job_expired`.
 */
import { requireLiveKey } from '../auth/link.key.js';
import { requireScope } from '../auth/authenticate.js';
import type { LinkAccess, Principal } from '../auth/principal.js';
import type { UrlSigner } from '../auth/url.signer.js';
import type { AreaCatalog } from '../catalog/area.catalog.js';
import type { StacItems } from '../catalog/stac.items.js';
import type { Config } from '../config.js';
import { signedDownloadUrl } from '../downloads/download.service.js';
import { AppError } from '../errors/app.error.js';
import type { FileStore } from '../files/file.store.js';
import { assertNotExpired } from '../jobs/job.expiry.js';
import type { JobRow, OutputRow } from '../storage/job.store.js';
import type { Storage } from '../storage/storage.js';
import { captureRangeOf, itemCaptureRange } from '../tiles/capture.range.js';
import { tileTemplate } from '../tiles/tilejson.build.js';
import { mintTileToken } from '../tiles/tile.token.js';
import { buildItem, GeoJsonType, type OutputInfo } from './stac.item.js';

/** Who the links of an answer are minted for. */
interface Reader {
  orgId: string;
  keyId: string;
}

/** Most Items an ItemCollection page holds. */
export const MaxPage = 200;

export class StacService {
  constructor(
    private readonly storage: Storage,
    private readonly catalog: AreaCatalog,
    private readonly items: StacItems,
    private readonly files: FileStore,
    private readonly signer: UrlSigner,
    private readonly config: Config,
  ) {}

  /** The signed URL of a job's Item (what the job resource calls `stac_url`), valid as long as download links. */
  stacUrl(reader: Reader, jobId: string, baseUrl: string): string {
    return `${baseUrl}/v1/stac/jobs/${encodeURIComponent(jobId)}?token=${this.token(reader, jobId)}`;
  }

  private token(reader: Reader, jobId: string): string {
    return this.signer.sign({ purpose: 'stac', orgId: reader.orgId, jobId, subject: '', keyId: reader.keyId, exp: Math.floor(Date.now() / 1000) + this.config.linkTtlS });
  }

  private async reader(access: LinkAccess, jobId: string): Promise<Reader> {
    if ('token' in access) return requireLiveKey(this.storage, this.signer.verify(access.token, { purpose: 'stac', jobId, subject: '' }));
    const p = await access.principal();
    requireScope(p, 'clip:read');
    return p;
  }

  private async completed(orgId: string, jobId: string): Promise<JobRow> {
    const job = await this.storage.jobs.getForOrg(orgId, jobId);
    if (!job) throw new AppError('job_not_found', `Job "${jobId}" does not exist`);
    if (job.status !== 'completed') throw new AppError('job_not_ready', `Job "${jobId}" is ${job.status}; its STAC Item exists once it is completed`, { extra: { job_status: job.status } });
    assertNotExpired(job);
    return job;
  }

  /** A completed job's Item. */
  async item(access: LinkAccess, jobId: string, baseUrl: string): Promise<Record<string, unknown>> {
    const reader = await this.reader(access, jobId);
    return this.itemOf(reader, await this.completed(reader.orgId, jobId), baseUrl);
  }

  /** The org's completed, unexpired jobs, newest first, as an ItemCollection page (`ids` picks jobs). */
  async collection(principal: Principal, page: { limit: number; offset: number; ids?: string[] }, baseUrl: string): Promise<Record<string, unknown>> {
    requireScope(principal, 'clip:read');
    const limit = Math.max(1, Math.min(MaxPage, page.limit));
    const offset = Math.max(0, page.offset);
    let rows: JobRow[];
    let total: number;
    if (page.ids) {
      const found = await Promise.all(page.ids.slice(0, MaxPage).map((id) => this.storage.jobs.getForOrg(principal.orgId, id)));
      const live = found.filter((j): j is JobRow => j?.status === 'completed' && !j.expired_at);
      total = live.length;
      rows = live.slice(offset, offset + limit);
    } else {
      ({ rows, total } = await this.storage.jobs.list(principal.orgId, { status: 'completed', unexpired: true, limit, offset }));
    }
    const features = await Promise.all(rows.map((j) => this.itemOf(principal, j, baseUrl)));
    const query = (o: number): string => `${baseUrl}/v1/stac/jobs?limit=${limit}&offset=${o}${page.ids ? `&ids=${page.ids.map(encodeURIComponent).join(',')}` : ''}`;
    const links: Record<string, unknown>[] = [{ rel: 'self', href: query(offset), type: GeoJsonType }];
    if (offset + rows.length < total) links.push({ rel: 'next', href: query(offset + limit), type: GeoJsonType });
    if (offset > 0) links.push({ rel: 'prev', href: query(Math.max(0, offset - limit)), type: GeoJsonType });
    return { type: 'FeatureCollection', features, numberMatched: total, numberReturned: features.length, links };
  }

  /** The PNG thumbnail of an output. */
  async thumbnail(access: LinkAccess, jobId: string, outputKey: string): Promise<Buffer> {
    const reader = await this.reader(access, jobId);
    await this.completed(reader.orgId, jobId);
    const out = (await this.storage.jobs.outputs(jobId)).find((o) => o.output_key === outputKey);
    const key = out ? infoOf(out).stac?.thumbnail.key : undefined;
    const bytes = key ? await this.files.read(key) : undefined;
    if (!bytes) throw new AppError('output_not_found', `Job "${jobId}" has no thumbnail of "${outputKey}"`);
    return Buffer.from(bytes);
  }

  private async itemOf(reader: Reader, job: JobRow, baseUrl: string): Promise<Record<string, unknown>> {
    const rows = await this.storage.jobs.outputs(job.id);
    const order = JSON.parse(job.outputs_requested) as string[];
    rows.sort((a, b) => order.indexOf(a.output_key) - order.indexOf(b.output_key));
    const stacToken = this.token(reader, job.id);
    const { token: tileToken } = mintTileToken(this.signer, { ...reader, scopes: new Set(), via: 'api_key' }, { kind: 'job', jobId: job.id }, this.config.tileTokenTtlS);
    const jobPath = `${baseUrl}/v1/stac/jobs/${encodeURIComponent(job.id)}`;
    const outputs = rows.map((row) => {
      const info = infoOf(row);
      return {
        row, info,
        href: signedDownloadUrl(this.signer, reader, job.id, row.output_key, baseUrl, this.config.linkTtlS).url,
        ...(info.stac?.thumbnail ? { thumbnailHref: `${jobPath}/${encodeURIComponent(row.output_key)}/thumbnail.png?token=${stacToken}` } : {}),
        tiles: tileTemplate(`${baseUrl}/v1/tiles/jobs/${encodeURIComponent(job.id)}/${encodeURIComponent(row.output_key)}`, tileToken, 'png', 1),
      };
    });
    return buildItem({ job, outputs, self: `${jobPath}?token=${stacToken}`, captureRange: await this.captureRange(job, outputs) });
  }

  /** The capture dates of the data clipped: the area's dated footprints meeting each output, or the source Item's datetimes. */
  private async captureRange(job: JobRow, outputs: { row: OutputRow; info: OutputInfo }[]): Promise<{ start: string; end: string } | null> {
    try {
      if (job.kind === 'item' && job.source_item_id) return rfc3339Range(itemCaptureRange((await this.items.get(job.source_item_id)).properties));
      if (!job.area) return null;
      const dates = (await this.catalog.area(job.area)).captureDates;
      const ranges = outputs.flatMap((o) => {
        const bbox = o.info.stac?.geometry?.bbox;
        const r = bbox ? captureRangeOf(dates, o.row.output_key, bbox) : null;
        return r ? [r] : [];
      });
      if (ranges.length === 0) return null;
      const sorted = (xs: string[]): string[] => xs.sort((a, b) => Date.parse(a) - Date.parse(b));
      return rfc3339Range({ start: sorted(ranges.map((r) => r.start))[0]!, end: sorted(ranges.map((r) => r.end)).at(-1)! });
    } catch {
      // The area or source item was removed since the clip: the dates are unknown.
      return null;
    }
  }
}

/**
 * A capture range in RFC 3339 date-times, as STAC wants them: a bare date (`2025-02-03`, as capture_dates
 * files often hold) covers that whole UTC day; a time without a zone is read as UTC.
 */
export function rfc3339Range(r: { start: string; end: string } | null): { start: string; end: string } | null {
  if (!r) return null;
  const at = (text: string, endOfDay: boolean): string | null => {
    const day = /^\d{4}-\d{2}-\d{2}$/.test(text);
    const ms = Date.parse(day ? `${text}T${endOfDay ? '23:59:59' : '00:00:00'}Z` : /[zZ]|[+-]\d{2}:?\d{2}$/.test(text) ? text : `${text}Z`);
    return Number.isNaN(ms) ? null : new Date(ms).toISOString().replace('.000Z', 'Z');
  };
  const start = at(r.start, false);
  const end = at(r.end, true);
  return start && end ? { start, end } : null;
}

function infoOf(row: OutputRow): OutputInfo {
  return JSON.parse(row.info ?? '{}') as OutputInfo;
}
