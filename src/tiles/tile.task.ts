/**
 * A map tile render as plain data, for the tile worker threads (tile.worker.ts): which file version,
 * which tile, how to draw and encode it. Results are plain data too: the encoded bytes, or an error's
 * code and message (class identity does not survive the thread boundary).
 */
import type { StoredFile } from '../files/file.store.js';
import type { RenderStyle } from './render.style.js';
import type { TileFormat } from './tile.request.js';

export interface TileTask {
  /** The COG in the file store: its key, size and the version to read */
  file: StoredFile;
  /** Cache key of this version of the file */
  key: string;
  z: number;
  x: number;
  y: number;
  /** Pixels a side (256, or 512 for @2x) */
  size: number;
  format: TileFormat;
  style: RenderStyle;
}

/** Where a render's time went in its thread, ms: reading and decoding the COG tiles, resampling and colouring, encoding. */
export interface RenderTiming {
  read: number;
  draw: number;
  encode: number;
}

export type TileTaskResult = { body: Uint8Array; timing?: RenderTiming } | { error: { code: string; message: string } };

/** Renders tile tasks (worker threads in the server; anything with this shape in tests). */
export type TileTaskRunner = (task: TileTask) => Promise<TileTaskResult>;
