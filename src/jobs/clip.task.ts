/** The plain data a clip task carries to and from a pool worker. */
import type { MessagePort } from 'node:worker_threads';

export interface ClipTask {
  /** Source COG path */
  source: string;
  /** AOI GeoJSON as the client sent it (EPSG:4326) */
  aoi: unknown;
  /** Final output path (the engine writes a temp name beside it and renames when complete) */
  output: string;
  /** Receives `{ done, total }` tile counts while the clip runs */
  progress?: MessagePort;
}

/** What the worker answers. */
export interface ClipTaskResult {
  size: number;
  sha256: string;
  /** Output grid and content facts (stored as the output's info) */
  info: Record<string, unknown>;
  /** Render defaults for tiles (rescale for non-8-bit data), computed once */
  renderDefaults: Record<string, unknown>;
}
