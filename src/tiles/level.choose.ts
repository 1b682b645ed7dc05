/**
 * Which resolution level (full resolution or an overview) to read for a map tile: gdalwarp's
 * `-ovr AUTO` rule, so our tiles and GDAL's come from the same pixels.
 */

/** Width and height of a level, pixels. */
export interface LevelSize {
  width: number;
  height: number;
}

/**
 * The level to read when the tile needs `ratio` level-0 pixels per output pixel: the coarsest level
 * whose downsampling factor is below the ratio, or within 0.1 of it (GDAL's tolerance). Level 0 when
 * the ratio is unknown or at most 1.
 */
export function chooseLevel(levels: readonly LevelSize[], ratio: number): number {
  if (!Number.isFinite(ratio) || ratio <= 1 || levels.length < 2) return 0;
  const w0 = levels[0]!.width;
  let chosen = 0;
  for (let k = 1; k < levels.length; k++) {
    const factor = w0 / levels[k]!.width;
    if (factor < ratio || Math.abs(factor - ratio) < 0.1) chosen = k;
    else break;
  }
  return chosen;
}

/** Level-0 pixels per pixel of level k, across and down (the overview transform's scale, as GDAL). */
export function levelScale(levels: readonly LevelSize[], k: number): [number, number] {
  const l0 = levels[0]!;
  const lk = levels[k]!;
  return [l0.width / lk.width, l0.height / lk.height];
}
