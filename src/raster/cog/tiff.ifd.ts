/**
 * Little-endian TIFF / BigTIFF IFD serialization: a block of chained IFDs, each followed by its
 * out-of-line values, then the "deferred" values (GDAL puts TileOffsets and TileByteCounts of every IFD
 * after all IFDs). Sizes depend only on tag types and counts, so a block can be planned (offsets known)
 * before its values are final. Pure.
 */

/** TIFF field types used here, with their byte size. */
export const TiffType = { Byte: 1, Ascii: 2, Short: 3, Long: 4, Rational: 5, Undefined: 7, Double: 12, Long8: 16 } as const;
export type TiffTypeCode = (typeof TiffType)[keyof typeof TiffType];

const TYPE_SIZE: Record<TiffTypeCode, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 12: 8, 16: 8 };

/** One IFD entry. `values`: bytes for Byte/Ascii/Undefined (Ascii with its NUL), numerator/denominator pairs for Rational. */
export interface TiffEntry {
  tag: number;
  type: TiffTypeCode;
  values: ArrayLike<number>;
}

/** An Ascii entry from a string (UTF-8, NUL-terminated, as GDAL writes). */
export function asciiEntry(tag: number, text: string): TiffEntry {
  const bytes = Buffer.from(`${text}\0`, 'utf8');
  return { tag, type: TiffType.Ascii, values: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) };
}

/** Number of values as the IFD entry counts them. */
function entryCount(e: TiffEntry): number {
  return e.type === TiffType.Rational ? e.values.length / 2 : e.values.length;
}

function entryBytes(e: TiffEntry): number {
  return entryCount(e) * TYPE_SIZE[e.type];
}

/** Where each IFD and each out-of-line value goes. */
export interface IfdBlockPlan {
  /** File offset of the block's first byte (even) */
  start: number;
  /** File offset just after the block (even) */
  end: number;
  /** File offset of each IFD */
  ifdOffsets: number[];
  /** Per IFD, per entry (sorted by tag): file offset of its out-of-line value, or -1 when inline */
  valueOffsets: number[][];
  /** The IFDs with entries sorted by tag */
  ifds: TiffEntry[][];
}

const even = (n: number): number => n + (n & 1);

/** Lay out chained IFDs starting at `start`; `deferredTags` values go after all IFDs. */
export function planIfdBlock(ifds: TiffEntry[][], opts: { bigTiff: boolean; start: number; deferredTags: ReadonlySet<number> }): IfdBlockPlan {
  const inline = opts.bigTiff ? 8 : 4;
  const sorted = ifds.map((ifd) => [...ifd].sort((a, b) => a.tag - b.tag));
  let pos = even(opts.start);
  const ifdOffsets: number[] = [];
  const valueOffsets: number[][] = sorted.map((ifd) => ifd.map(() => -1));
  sorted.forEach((ifd, i) => {
    ifdOffsets.push(pos);
    pos += opts.bigTiff ? 8 + ifd.length * 20 + 8 : 2 + ifd.length * 12 + 4;
    ifd.forEach((e, j) => {
      if (entryBytes(e) <= inline || opts.deferredTags.has(e.tag)) return;
      pos = even(pos);
      valueOffsets[i]![j] = pos;
      pos += entryBytes(e);
    });
  });
  sorted.forEach((ifd, i) => {
    ifd.forEach((e, j) => {
      if (entryBytes(e) <= inline || !opts.deferredTags.has(e.tag)) return;
      pos = even(pos);
      valueOffsets[i]![j] = pos;
      pos += entryBytes(e);
    });
  });
  return { start: even(opts.start), end: even(pos), ifdOffsets, valueOffsets, ifds: sorted };
}

function writeValues(view: DataView, at: number, e: TiffEntry): void {
  const v = e.values;
  const n = v.length;
  switch (e.type) {
    case TiffType.Byte:
    case TiffType.Ascii:
    case TiffType.Undefined:
      for (let k = 0; k < n; k++) view.setUint8(at + k, v[k] as number);
      return;
    case TiffType.Short:
      for (let k = 0; k < n; k++) view.setUint16(at + k * 2, v[k] as number, true);
      return;
    case TiffType.Long:
    case TiffType.Rational:
      for (let k = 0; k < n; k++) view.setUint32(at + k * 4, v[k] as number, true);
      return;
    case TiffType.Double:
      for (let k = 0; k < n; k++) view.setFloat64(at + k * 8, v[k] as number, true);
      return;
    case TiffType.Long8:
      for (let k = 0; k < n; k++) view.setBigUint64(at + k * 8, BigInt(v[k] as number), true);
      return;
  }
}

/**
 * Serialize a planned block (values may have changed since planning, counts may not).
 * Returns the bytes of [plan.start, plan.end); IFDs are chained, the last one's next offset is 0.
 */
export function serializeIfdBlock(plan: IfdBlockPlan, bigTiff: boolean): Uint8Array {
  const out = new Uint8Array(plan.end - plan.start);
  const view = new DataView(out.buffer);
  const base = plan.start;
  plan.ifds.forEach((ifd, i) => {
    let p = plan.ifdOffsets[i]! - base;
    if (bigTiff) view.setBigUint64(p, BigInt(ifd.length), true);
    else view.setUint16(p, ifd.length, true);
    p += bigTiff ? 8 : 2;
    ifd.forEach((e, j) => {
      view.setUint16(p, e.tag, true);
      view.setUint16(p + 2, e.type, true);
      const count = entryCount(e);
      if (bigTiff) view.setBigUint64(p + 4, BigInt(count), true);
      else view.setUint32(p + 4, count, true);
      const valueAt = p + (bigTiff ? 12 : 8);
      const off = plan.valueOffsets[i]![j]!;
      if (off < 0) writeValues(view, valueAt, e);
      else {
        if (bigTiff) view.setBigUint64(valueAt, BigInt(off), true);
        else view.setUint32(valueAt, off, true);
        writeValues(view, off - base, e);
      }
      p += bigTiff ? 20 : 12;
    });
    const next = i + 1 < plan.ifds.length ? plan.ifdOffsets[i + 1]! : 0;
    if (bigTiff) view.setBigUint64(p, BigInt(next), true);
    else view.setUint32(p, next, true);
  });
  return out;
}

/** The TIFF header: "II", 42 and the first IFD offset; or BigTIFF's "II", 43, 8, 0 and an 8-byte offset. */
export function tiffHeader(bigTiff: boolean, firstIfd: number): Uint8Array {
  const out = new Uint8Array(bigTiff ? 16 : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0x4949, true);
  if (bigTiff) {
    view.setUint16(2, 43, true);
    view.setUint16(4, 8, true);
    view.setUint16(6, 0, true);
    view.setBigUint64(8, BigInt(firstIfd), true);
  } else {
    view.setUint16(2, 42, true);
    view.setUint32(4, firstIfd, true);
  }
  return out;
}
