/**
 * Limits checked on a TIFF's declared structure before anything proportional to it is allocated,
 * so a tiny hostile file cannot make the reader allocate or loop without bound.
 */

/** Upper bounds for what a TIFF may declare. */
export interface ReadLimits {
  /** Largest ImageWidth or ImageLength of any level, in pixels */
  maxDimension: number;
  /** Largest width * height of any level, in pixels */
  maxPixels: number;
  /** Largest number of tiles (or strips) of one level, all planes together */
  maxTiles: number;
  /** Largest decoded tile (all bands), in bytes; compressed tiles may be at most twice this */
  maxTileBytes: number;
  /** Largest number of IFDs in the chain */
  maxIfds: number;
  /** Largest number of entries in one IFD */
  maxIfdEntries: number;
  /** Largest number of samples per pixel */
  maxBands: number;
}

/** Defaults: 2^20 px a side, 2^36 px a level (e.g. 262144²), 2^22 tiles a level, 64 MiB a decoded tile. */
export const DEFAULT_READ_LIMITS: Readonly<ReadLimits> = Object.freeze({
  maxDimension: 2 ** 20,
  maxPixels: 2 ** 36,
  maxTiles: 2 ** 22,
  maxTileBytes: 64 * 1024 * 1024,
  maxIfds: 1024,
  maxIfdEntries: 4096,
  maxBands: 4096,
});

/** The defaults with the caller's overrides. */
export function resolveReadLimits(limits: Partial<ReadLimits> = {}): ReadLimits {
  return { ...DEFAULT_READ_LIMITS, ...limits };
}
