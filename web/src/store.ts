/**
 * The page's state (Preact signals) and the actions that change it. Components read signals and call
 * actions; every server call goes through the session (the SDK in `src/client`).
 */
import { batch, computed, effect, signal, untracked } from '@preact/signals';
import type { DownloadDescriptor, MosaicEntry, OperationOutput, Quote, TileJson } from '../../src/client/index.js';
import { EventJobFeed } from './jobs/job.events.feed.js';
import type { JobFeed } from './jobs/job.feed.js';
import { Session } from './session/session.js';
import { bboxOf, checkAoi, DefaultLimits, type AoiGeometry, type AoiLimits } from './state/aoi.check.js';
import { dateFeatures, type DatedFeature } from './state/capture.colors.js';
import { orderBody } from './state/code.snippets.js';
import { FinalStatuses, type JobView } from './state/job.states.js';
import { describeError, fieldIssues } from './state/problem.words.js';
import { parseUrlState, type MapView, type UrlState } from './state/url.state.js';

/** An area as `clip.areas.list` answers it. */
export type Area = OperationOutput<'clip.areas.list'>['items'][number];

export interface Aoi {
  geometry: AoiGeometry;
  name?: string;
  /** How it came: drawn on the map, from a file (its name), pasted */
  source: string;
}

export type Tab = 'area' | 'order' | 'jobs';

/** Move the map to a box; `minZoom`: at least this zoom (a job's tiles start at their TileJSON minzoom). */
export interface FitRequest {
  bbox: [number, number, number, number];
  minZoom?: number;
  /** Makes a repeated box a new request */
  nonce: number;
}
export type DrawMode = 'off' | 'polygon' | 'rectangle' | 'edit';

/** A call's state for the form: result, words, 422 issues by field. */
export interface Pending<T> {
  loading: boolean;
  value?: T;
  error?: string;
  issues?: Record<string, string[]>;
}

export interface JobDetail {
  job?: JobView & { aoi_geometry?: AoiGeometry };
  tiles?: TileJson;
  downloads?: DownloadDescriptor[];
  error?: string;
}

const initialUrl: UrlState = parseUrlState(location.hash);
/** A shared link with a map view keeps it; otherwise the map fits the area or job. */
const linkedView = initialUrl.view !== undefined;

export const ui = {
  tab: signal<Tab>(initialUrl.job ? 'jobs' : 'area'),
  /** Polite announcements for screen readers (and the status line) */
  announce: signal(''),
  /** A request to fit the map to a box (the nonce makes a repeated box a new request) */
  fit: signal<FitRequest | undefined>(undefined),
  view: signal<MapView | undefined>(initialUrl.view),
  drawMode: signal<DrawMode>('off'),
  mapReady: signal(false),
};

export const auth = {
  session: signal<Session | undefined>(undefined),
  signingIn: signal(false),
  error: signal<string | undefined>(undefined),
};

export const areas = {
  list: signal<Area[]>([]),
  selected: signal<string | undefined>(initialUrl.area),
  mosaics: signal<MosaicEntry[]>([]),
  captures: signal<{ features: DatedFeature[]; first: number; last: number } | undefined>(undefined),
  error: signal<string | undefined>(undefined),
};

export const layers = {
  footprints: signal(true),
  captures: signal(true),
  /** Capture-date filter, inclusive day numbers */
  dateFrom: signal<number | undefined>(undefined),
  dateTo: signal<number | undefined>(undefined),
  /** Mosaic type previewed (area tiles), or undefined for none */
  preview: signal<string | undefined>(initialUrl.mosaic),
  previewTiles: signal<TileJson | undefined>(undefined),
  previewOpacity: signal(0.85),
  resultOpacity: signal(1),
  /** Show the source mosaic under a selected job's result */
  compareSource: signal(false),
};

export const order = {
  aoi: signal<Aoi | undefined>(undefined),
  aoiError: signal<string | undefined>(undefined),
  types: signal<string[]>([]),
  aoiName: signal(''),
  projectId: signal(''),
  limits: signal<AoiLimits>(DefaultLimits),
  quote: signal<Pending<Quote>>({ loading: false }),
  submit: signal<Pending<{ id: string }>>({ loading: false }),
  confirming: signal(false),
};

export const jobs = {
  list: signal<JobView[]>([]),
  selected: signal<string | undefined>(initialUrl.job),
  detail: signal<JobDetail>({}),
  error: signal<string | undefined>(undefined),
  confirmDelete: signal(false),
  deleting: signal(false),
};

export const currentArea = computed(() => areas.list.value.find((a) => a.id === areas.selected.value));

/** The create body for the current form, or undefined while something is missing. */
export const orderRequest = computed(() => {
  const session = auth.session.value;
  const area = areas.selected.value;
  const aoi = order.aoi.value;
  if (!session || !area || !aoi || order.types.value.length === 0) return undefined;
  return orderBody({
    area, mosaic_types: order.types.value, aoi_geometry: aoi.geometry as unknown as Record<string, unknown>, organization_id: session.identity.org,
    aoi_name: order.aoiName.value.trim() || aoi.name || null, project_id: order.projectId.value.trim() || null,
  });
});

export const aoiCheck = computed(() => {
  const aoi = order.aoi.value;
  if (!aoi) return undefined;
  return checkAoi(aoi.geometry, orderRequest.value ?? { area: areas.selected.value ?? '' }, order.limits.value);
});

function say(text: string): void {
  ui.announce.value = text;
}

function session(): Session {
  const s = auth.session.value;
  if (!s) throw new Error('Not signed in');
  return s;
}

// ---- sign in / out ------------------------------------------------------------------------------

let feed: JobFeed | undefined;

export async function signIn(apiKey: string): Promise<void> {
  auth.signingIn.value = true;
  auth.error.value = undefined;
  try {
    const s = await Session.signIn(location.origin, apiKey, (reason) => signedOut(reason));
    auth.session.value = s;
    say(`Signed in to organization ${s.identity.org}.`);
    await loadAreas();
    startFeed();
    if (jobs.selected.value) await selectJob(jobs.selected.value, { fit: !linkedView });
  } catch (err) {
    auth.error.value = describeError(err, 'Signing in');
  } finally {
    auth.signingIn.value = false;
  }
}

function signedOut(reason: string): void {
  feed?.stop();
  feed = undefined;
  batch(() => {
    auth.session.value = undefined;
    auth.error.value = reason === 'Signed out.' ? undefined : reason;
    areas.list.value = [];
    areas.mosaics.value = [];
    areas.captures.value = undefined;
    layers.previewTiles.value = undefined;
    jobs.list.value = [];
    jobs.detail.value = {};
    order.quote.value = { loading: false };
  });
  say(reason);
}

export async function signOut(): Promise<void> {
  await auth.session.value?.signOut();
}

// ---- areas and layers ---------------------------------------------------------------------------

async function loadAreas(): Promise<void> {
  try {
    const { items } = await session().call((c) => c.clip.areas.list());
    areas.list.value = items as Area[];
    const wanted = areas.selected.value && items.some((a) => a.id === areas.selected.value) ? areas.selected.value : items.find((a) => !a.error)?.id;
    if (wanted) await selectArea(wanted, { fit: !linkedView && !jobs.selected.value });
  } catch (err) {
    areas.error.value = describeError(err, 'Loading the areas');
  }
}

export async function selectArea(id: string, opts: { fit?: boolean } = {}): Promise<void> {
  const area = areas.list.value.find((a) => a.id === id);
  if (!area) return;
  batch(() => {
    areas.selected.value = id;
    areas.mosaics.value = [];
    areas.captures.value = undefined;
    layers.dateFrom.value = undefined;
    layers.dateTo.value = undefined;
    order.types.value = order.types.value.filter((t) => area.mosaic_types.includes(t));
    if (order.types.value.length === 0 && area.mosaic_types[0]) order.types.value = [area.mosaic_types.includes('visual') ? 'visual' : area.mosaic_types[0]];
    if (layers.preview.value && !area.mosaic_types.includes(layers.preview.value)) layers.preview.value = undefined;
  });
  if (opts.fit && area.bounds) ui.fit.value = { bbox: area.bounds, nonce: Date.now() };
  if (!layers.preview.value && area.mosaic_types.includes('visual')) layers.preview.value = 'visual';
  try {
    const [mosaics, metadata] = await Promise.all([
      session().call((c) => c.clip.area.mosaics({ area: id })),
      session().call((c) => c.clip.area.metadata({ area: id })),
    ]);
    if (areas.selected.value !== id) return;
    areas.mosaics.value = mosaics.items;
    areas.captures.value = dateFeatures(metadata.features as never);
  } catch (err) {
    areas.error.value = describeError(err, 'Loading the area');
  }
  await loadPreview();
}

export async function loadPreview(): Promise<void> {
  const area = areas.selected.value;
  const mosaic = layers.preview.value;
  if (!area || !mosaic || !auth.session.value) {
    layers.previewTiles.value = undefined;
    return;
  }
  try {
    const tj = await session().call((c) => c.areaTileJson(area, mosaic));
    if (areas.selected.value === area && layers.preview.value === mosaic) layers.previewTiles.value = tj;
  } catch (err) {
    layers.previewTiles.value = undefined;
    areas.error.value = describeError(err, 'Loading the mosaic preview');
  }
}

export function setPreview(mosaic: string | undefined): void {
  layers.preview.value = mosaic;
  void loadPreview();
}

// ---- AOI, quote, order --------------------------------------------------------------------------

/** A new AOI: the quote and the order's idempotency key start over. */
export function setAoi(aoi: Aoi | undefined): void {
  batch(() => {
    // A name that came from the previous AOI's file goes with it.
    const previous = order.aoi.peek()?.name;
    if (!order.aoiName.peek() || order.aoiName.peek() === previous) order.aoiName.value = aoi?.name ?? '';
    order.aoi.value = aoi;
    order.aoiError.value = undefined;
    order.submit.value = { loading: false };
  });
  if (aoi) say(`AOI set from ${aoi.source}.`);
}

let quoteTimer: ReturnType<typeof setTimeout> | undefined;
let quoteSeq = 0;

// Any change of the order (area, mosaic types, AOI, names) asks for a new quote.
effect(() => {
  void orderRequest.value;
  untracked(scheduleQuote);
});


/** Ask for a quote shortly after the order form settles (one request for a burst of edits). */
export function scheduleQuote(): void {
  clearTimeout(quoteTimer);
  const body = orderRequest.value;
  if (!body || (aoiCheck.value?.problems.length ?? 0) > 0) {
    order.quote.value = { loading: false };
    return;
  }
  order.quote.value = { ...order.quote.peek(), loading: true };
  quoteTimer = setTimeout(() => { void quote(); }, 250);
}

async function quote(): Promise<void> {
  const body = orderRequest.value;
  if (!body) return;
  const seq = ++quoteSeq;
  try {
    const q = await session().call((c) => c.clip.quote_from_area(body as never));
    if (seq !== quoteSeq) return;
    const l = order.limits.peek();
    if (l.max_vertices !== q.limits.max_vertices || l.max_body_bytes !== q.limits.max_body_bytes) order.limits.value = q.limits;
    order.quote.value = { loading: false, value: q };
    say(`This order holds ${q.cost_km2.toFixed(3)} km².`);
  } catch (err) {
    if (seq !== quoteSeq) return;
    order.quote.value = { loading: false, error: describeError(err, 'Pricing the order'), issues: fieldIssues(err) };
  }
}

/** One key per order as confirmed: a double click or a retry replays instead of ordering twice. */
let orderKey: { body: string; key: string } | undefined;

export async function placeOrder(): Promise<void> {
  const body = orderRequest.value;
  if (!body || order.submit.value.loading) return;
  const text = JSON.stringify(body);
  if (orderKey?.body !== text) orderKey = { body: text, key: crypto.randomUUID() };
  order.submit.value = { loading: true };
  try {
    const { job } = await session().call((c) => c.clip.create_from_area(body as never, { idempotencyKey: orderKey!.key }));
    batch(() => {
      order.submit.value = { loading: false, value: { id: job.id } };
      order.confirming.value = false;
      jobs.list.value = [job as JobView, ...jobs.list.value.filter((j) => j.id !== job.id)];
      ui.tab.value = 'jobs';
    });
    say(`Ordered: job ${job.id} is queued.`);
    void selectJob(job.id);
    void feed?.refresh();
  } catch (err) {
    order.submit.value = { loading: false, error: describeError(err, 'Ordering'), issues: fieldIssues(err) };
    order.confirming.value = false;
  }
}

// ---- jobs ---------------------------------------------------------------------------------------

function startFeed(): void {
  feed?.stop();
  feed = new EventJobFeed({
    open: (lastEventId, signal) => session().call((c) => c.events({ lastEventId, signal })),
    list: async () => (await session().call((c) => c.clip.jobs.list({ organization_id: session().identity.org, limit: 200 }))).items as JobView[],
    current: () => jobs.list.value,
    onJobs: (list, changed) => {
      jobs.list.value = list;
      jobs.error.value = undefined;
      for (const id of changed) {
        const j = list.find((x) => x.id === id);
        if (j && FinalStatuses.has(j.status)) say(`Job ${j.aoi_name ?? j.id} ${j.status}.`);
        // The watched job finished: show its result (zoomed in far enough for its tiles).
        if (j && id === jobs.selected.value) void selectJob(id, { keepView: true, fit: j.status === 'completed' });
      }
      const sel = list.find((j) => j.id === jobs.selected.value);
      if (sel && jobs.detail.value.job && jobs.detail.value.job.id === sel.id) jobs.detail.value = { ...jobs.detail.value, job: { ...jobs.detail.value.job, ...sel } };
    },
    onError: (err) => { jobs.error.value = describeError(err, 'Reading the jobs'); },
  });
  void feed.refresh();
}

export function refreshJobs(): void {
  void feed?.refresh();
}

export async function selectJob(id: string | undefined, opts: { fit?: boolean; keepView?: boolean } = {}): Promise<void> {
  jobs.selected.value = id;
  jobs.confirmDelete.value = false;
  if (!id) {
    jobs.detail.value = {};
    return;
  }
  if (!opts.keepView) jobs.detail.value = {};
  try {
    const job = (await session().call((c) => c.clip.job.get({ job_id: id }))) as JobDetail['job'] & JobView;
    if (jobs.selected.value !== id) return;
    let tiles: TileJson | undefined;
    let downloads: DownloadDescriptor[] | undefined;
    if (job.status === 'completed') {
      const [tj, dl] = await Promise.all([
        session().call((c) => c.clip.job.tile_info({ job_id: id })),
        session().call((c) => c.clip.job.downloads({ job_id: id })),
      ]);
      tiles = tj as unknown as TileJson;
      downloads = dl.items;
    }
    if (jobs.selected.value !== id) return;
    jobs.detail.value = { job, tiles, downloads };
    if (job.area && job.area !== areas.selected.value && areas.list.value.some((a) => a.id === job.area)) void selectArea(job.area);
    if (opts.fit && job.aoi_geometry) ui.fit.value = { bbox: bboxOf(job.aoi_geometry), ...(tiles ? { minZoom: tiles.minzoom } : {}), nonce: Date.now() };
  } catch (err) {
    if (jobs.selected.value === id) jobs.detail.value = { error: describeError(err, 'Opening the job') };
  }
}

/** Show the selected job's result: its AOI, at a zoom its tiles are drawn at. */
export function zoomToResult(): void {
  const { job, tiles } = jobs.detail.value;
  if (job?.aoi_geometry) ui.fit.value = { bbox: bboxOf(job.aoi_geometry), ...(tiles ? { minZoom: tiles.minzoom } : {}), nonce: Date.now() };
}

export async function deleteJob(id: string): Promise<void> {
  jobs.deleting.value = true;
  try {
    await session().call((c) => c.clip.job.delete({ job_id: id }));
    batch(() => {
      jobs.list.value = jobs.list.value.filter((j) => j.id !== id);
      jobs.confirmDelete.value = false;
      if (jobs.selected.value === id) {
        jobs.selected.value = undefined;
        jobs.detail.value = {};
      }
    });
    say('Job deleted, with its files.');
    void feed?.refresh();
  } catch (err) {
    jobs.detail.value = { ...jobs.detail.value, error: describeError(err, 'Deleting the job') };
  } finally {
    jobs.deleting.value = false;
  }
}
