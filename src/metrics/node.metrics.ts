/**
 * This node's metrics in the Prometheus text format (prom-client, one registry per node so that several
 * servers in one process, as in tests, keep theirs apart). The hot paths only add to counters and
 * histograms in memory (a label lookup and an addition); what the database knows (jobs by state, the
 * queue) and what the pools hold is read when Prometheus scrapes (metrics.gauges.ts).
 */
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { ScrapeGauges, type GaugeSources } from './metrics.gauges.js';
import type { EgressMetrics, JobMetrics, TileMetrics, TileOutcome } from './metrics.ports.js';

/** Seconds: an HTTP answer, from a cached tile (< 5 ms) to a large download's start. */
const HttpBuckets = [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Seconds: one run of a job on a node, a small AOI (< 1 s) to a large one (many minutes). */
const ClipBuckets = [0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600];
/** Seconds: one tile render in a render thread. */
const RenderBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export class NodeMetrics implements JobMetrics, TileMetrics, EgressMetrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'route' | 'method' | 'status'>;
  private readonly latency: Histogram<'route' | 'method'>;
  private readonly clips: Histogram<'outcome'>;
  private readonly tiles: Counter<'layer' | 'outcome'>;
  private readonly renders: Histogram;
  private readonly egress: Counter;
  private readonly egressRefused: Counter;
  private gauges: ScrapeGauges | undefined;

  constructor() {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({ name: 'geopera_http_requests_total', help: 'HTTP requests answered, by route (an operation id, or the route template), method and status', labelNames: ['route', 'method', 'status'], registers });
    this.latency = new Histogram({ name: 'geopera_http_request_duration_seconds', help: 'Time to answer an HTTP request (to the first byte of a streamed body), by route and method', labelNames: ['route', 'method'], buckets: HttpBuckets, registers });
    this.clips = new Histogram({ name: 'geopera_clip_duration_seconds', help: 'Time this node ran one attempt of a clip job, by outcome (completed, failed, aborted: deleted, lease lost or shut down)', labelNames: ['outcome'], buckets: ClipBuckets, registers });
    this.tiles = new Counter({ name: 'geopera_tile_requests_total', help: 'Map tiles asked of this node, by layer (job, area) and outcome: rendered (a cache miss), cached (the encoded-tile cache), joined (a render already under way), not_modified (304), empty (204)', labelNames: ['layer', 'outcome'], registers });
    this.renders = new Histogram({ name: 'geopera_tile_render_duration_seconds', help: 'Time to read, resample and encode one map tile in a render thread', buckets: RenderBuckets, registers });
    this.egress = new Counter({ name: 'geopera_egress_bytes_total', help: 'Bytes of job outputs this node sent to clients (what the egress ledger counts)', registers });
    this.egressRefused = new Counter({ name: 'geopera_egress_refused_total', help: 'Downloads this node refused because the org\'s egress quota was used up', registers });
  }

  /** One HTTP answer. `route` is an operation id or a route template (never a raw path: bounded labels). */
  request(route: string, method: string, status: number, seconds: number): void {
    this.requests.inc({ route, method, status: String(status) });
    this.latency.observe({ route, method }, seconds);
  }

  clipFinished(outcome: 'completed' | 'failed' | 'aborted', seconds: number): void {
    this.clips.observe({ outcome }, seconds);
  }

  tile(layer: 'job' | 'area', outcome: TileOutcome): void {
    this.tiles.inc({ layer, outcome });
  }

  tileRendered(seconds: number): void {
    this.renders.observe(seconds);
  }

  egressSent(bytes: number): void {
    if (bytes > 0) this.egress.inc(bytes);
  }

  egressRefusedOnce(): void {
    this.egressRefused.inc();
  }

  /** Add the gauges read at scrape time (once the runtime has its storage, runner and pools). */
  readAtScrape(sources: GaugeSources): void {
    this.gauges = new ScrapeGauges(this.registry, sources);
  }

  /** The Content-Type of `scrape()`'s text. */
  get contentType(): string {
    return this.registry.contentType;
  }

  /** Every metric in the Prometheus text format, the scrape-time gauges read now. */
  async scrape(): Promise<string> {
    await this.gauges?.refresh();
    return this.registry.metrics();
  }
}
