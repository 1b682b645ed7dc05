/** The plain data a clip task carries to and from a pool worker. */
import type { MessagePort } from 'node:worker_threads';
import type { ClipResult } from '../raster/clip/clip.run.js';

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

/** What the worker answers: the engine's result (size, sha256, output info, render defaults). */
export type ClipTaskResult = ClipResult;
