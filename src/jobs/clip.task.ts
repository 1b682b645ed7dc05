/** The plain data a clip task carries to and from a pool worker. */
import type { MessagePort } from 'node:worker_threads';
import type { ClipResult } from '../raster/clip/clip.run.js';

export interface ClipTask {
  /** Key of the source COG in the file store (`areas/x/mosaics/visual.tif`) */
  source: string;
  /** AOI GeoJSON as the client sent it (EPSG:4326) */
  aoi: unknown;
  /** Key of the output in the file store; the worker answers once it is stored whole (written, or uploaded) */
  output: string;
  /** Receives `{ done, total }` tile counts while the clip runs */
  progress?: MessagePort;
}

/** What the worker answers: the engine's result (size, sha256, output info, render defaults). */
export type ClipTaskResult = ClipResult;
