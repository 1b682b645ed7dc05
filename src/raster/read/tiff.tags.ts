/**
 * Typed access to the tag values of one IFD as geotiff.js parsed them (eagerly: every value is
 * loaded, typed arrays for arrays, strings for ASCII).
 */
import type { ImageFileDirectory } from 'geotiff';
import { Tag } from '../tiff.tag.js';

export { Tag };

type RawValue = number | string | ArrayLike<number> | undefined;

/** The tags of one IFD. */
export class TiffTags {
  constructor(private readonly ifd: ImageFileDirectory) {}

  has(tag: number): boolean {
    return this.ifd.actualizedFields.has(tag);
  }

  private raw(tag: number): RawValue {
    return this.ifd.actualizedFields.get(tag) as RawValue;
  }

  /** A numeric tag (the first value of an array), or undefined. */
  num(tag: number): number | undefined {
    const v = this.raw(tag);
    if (typeof v === 'number') return v;
    if (v !== undefined && typeof v !== 'string' && v.length > 0) return Number(v[0]);
    return undefined;
  }

  /** All values of a numeric tag as plain numbers, or undefined. */
  nums(tag: number): number[] | undefined {
    const v = this.raw(tag);
    if (typeof v === 'number') return [v];
    if (v === undefined || typeof v === 'string') return undefined;
    return Array.from(v, Number);
  }

  /** An ASCII tag without its trailing NULs, or undefined. */
  text(tag: number): string | undefined {
    const v = this.raw(tag);
    return typeof v === 'string' ? v.replace(/\0+$/, '') : undefined;
  }

  /** A BYTE/UNDEFINED tag as a fresh byte array, or undefined. */
  bytes(tag: number): Uint8Array | undefined {
    const v = this.raw(tag);
    if (v === undefined || typeof v === 'string') return undefined;
    return typeof v === 'number' ? Uint8Array.of(v) : Uint8Array.from(v);
  }
}
