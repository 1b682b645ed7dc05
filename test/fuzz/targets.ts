/** Every fuzz target, by name (the order `npm run fuzz` runs them in). */
import type { FuzzTarget } from './fuzz.target.js';
import { AoiTarget } from './targets/aoi.target.js';
import { BodyTarget } from './targets/body.target.js';
import { CatalogTarget } from './targets/catalog.target.js';
import { RangeTarget } from './targets/range.target.js';
import { TiffTarget } from './targets/tiff.target.js';
import { TokenTarget } from './targets/token.target.js';

export const FuzzTargets: readonly FuzzTarget[] = [TiffTarget, AoiTarget, BodyTarget, RangeTarget, TokenTarget, CatalogTarget];

export function findTarget(name: string): FuzzTarget {
  const t = FuzzTargets.find((x) => x.name === name);
  if (!t) throw new Error(`no fuzz target "${name}" (targets: ${FuzzTargets.map((x) => x.name).join(', ')})`);
  return t;
}
