/** The plain data a clip task carries to and from a pool worker. */
import type { MessagePort } from 'node:worker_threads';
import type { ClipResult } from '../raster/clip/clip.run.js';
import type { BandStatistics } from '../raster/clip/summary.stats.js';
import type { PlacedGeometry } from '../stac/stac.geometry.js';

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

/** What the worker adds for the job's STAC Item: statistics, a thumbnail stored beside the output, the AOI within the data. */
export interface OutputStacFacts {
  /** STAC raster statistics per band (null: no valid pixel), from output level `level` */
  statistics: (BandStatistics | null)[];
  level: number;
  /** The thumbnail PNG's key in the file store and its size */
  thumbnail: { key: string; size: number };
  /** The AOI within this output's data (lon/lat), or null when it could not be made */
  geometry: PlacedGeometry | null;
}

/** What the worker answers: the engine's result (size, sha256, output info, render defaults) and the STAC facts. */
export type ClipTaskResult = ClipResult & { stac?: OutputStacFacts };
