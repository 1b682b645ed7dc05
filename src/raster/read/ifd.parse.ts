/**
 * geotiff.js parses the IFDs the guard has validated, reading through our `Source`. Its parser runs
 * eagerly (every tag value loaded at once): its lazy arrays read big-endian files as little endian.
 */
import { GeoTIFF, type ImageFileDirectory } from 'geotiff';
import { AppError } from '../../errors/app.error.js';
import type { TiffLayout } from './ifd.guard.js';
import type { Source } from './source.js';

type GeoTiffSource = ConstructorParameters<typeof GeoTIFF>[0];
interface Slice {
  offset: number;
  length: number;
}

/**
 * geotiff.js's source interface over ours. Its fixed-size IFD probes (1 KiB, 4 KiB for BigTIFF)
 * are clipped to the IFD the guard measured, so opening never reads a byte of tile data.
 */
class GeoTiffSourceAdapter {
  constructor(
    private readonly source: Source,
    private readonly ifdLengths: ReadonlyMap<number, number>,
  ) {}

  async fetch(slices: Slice[]): Promise<ArrayBuffer[]> {
    return Promise.all(slices.map(async (s) => (await this.fetchSlice(s)).data));
  }

  async fetchSlice(slice: Slice): Promise<Slice & { data: ArrayBuffer }> {
    const ifdLength = this.ifdLengths.get(slice.offset) ?? Infinity;
    const length = Math.max(0, Math.min(slice.length, ifdLength, this.source.size - slice.offset));
    const bytes = await this.source.read(slice.offset, length);
    const data = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : bytes.slice().buffer;
    return { offset: slice.offset, length, data };
  }

  get fileSize(): number {
    return this.source.size;
  }

  async close(): Promise<void> {}
}

/** Parse every IFD of a validated layout, in file order. */
export async function parseIfds(source: Source, layout: TiffLayout): Promise<ImageFileDirectory[]> {
  const ifdLengths = new Map(layout.ifds.map((ifd) => [ifd.offset, ifd.byteLength]));
  const adapter = new GeoTiffSourceAdapter(source, ifdLengths) as unknown as GeoTiffSource;
  const tiff = new GeoTIFF(adapter, layout.littleEndian, layout.bigTiff, layout.ifds[0].offset);
  tiff.parser.eager = true;
  const out: ImageFileDirectory[] = [];
  for (const ifd of layout.ifds) {
    try {
      out.push(await tiff.parser.parseFileDirectoryAt(ifd.offset));
    } catch (err) {
      if (err instanceof AppError) throw err;
      throw new AppError('invalid_tiff', `${source.path}: cannot parse the IFD at byte ${ifd.offset}: ${(err as Error).message}`, { cause: err });
    }
  }
  return out;
}
