/**
 * The headers of a validated TIFF read in few requests: the IFDs and their out-of-line values (tile
 * offsets, GeoKeys, JPEG tables …) lie side by side in a COG, so their ranges are merged where at most
 * `MaxGap` bytes apart and each merged range is read once, all at once. The parser then reads through
 * `HeaderSource`, which answers from those bytes: a small COG opens in about a dozen reads instead of
 * thirty, none of them waiting on the one before. Gaps are small so opening still reads no tile data.
 */
import type { TiffLayout } from './ifd.guard.js';
import { assertInFile, type Source } from './source.js';

/** Ranges this close are read as one (word alignment and small padding between header parts). */
const MaxGap = 64;

/** Sorted, merged [offset, end) spans of the ranges, joined across gaps of at most `gap` bytes. */
export function mergeRanges(ranges: readonly [number, number][], gap = MaxGap): [number, number][] {
  const sorted = ranges.filter(([, n]) => n > 0).map(([o, n]) => [o, o + n] as [number, number]).sort((a, b) => a[0] - b[0]);
  const out: [number, number][] = [];
  for (const [start, end] of sorted) {
    const last = out[out.length - 1];
    if (last && start <= last[1] + gap) last[1] = Math.max(last[1], end);
    else out.push([start, end]);
  }
  return out;
}

/** A source answering reads inside the prefetched spans from memory, and any other read from the file. */
export class HeaderSource implements Source {
  private constructor(
    private readonly inner: Source,
    private readonly spans: { start: number; bytes: Uint8Array }[],
  ) {}

  /** Read the layout's IFDs and values (merged) from `source`. */
  static async prefetch(source: Source, layout: TiffLayout): Promise<HeaderSource> {
    const spans = mergeRanges(layout.ifds.flatMap((ifd) => [[ifd.offset, ifd.byteLength] as [number, number], ...ifd.values]));
    const read = await Promise.all(spans.map(async ([start, end]) => ({ start, bytes: await source.read(start, end - start) })));
    return new HeaderSource(source, read);
  }

  get path(): string {
    return this.inner.path;
  }

  get size(): number {
    return this.inner.size;
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    assertInFile(this.path, this.size, offset, length);
    for (const { start, bytes } of this.spans) {
      // A copy in its own buffer, as the file's reads give (views over it start aligned at 0).
      if (offset >= start && offset + length <= start + bytes.byteLength) return bytes.slice(offset - start, offset - start + length);
    }
    return this.inner.read(offset, length);
  }

  /** The file stays open: its owner closes it. */
  async close(): Promise<void> {}
}
