/**
 * A first pass over the TIFF header and the IFD chain that only validates: every IFD and every
 * out-of-line tag value lies inside the file, field types are known, the chain neither loops nor
 * grows past the limits. Only then does geotiff.js parse the IFDs, so nothing it allocates can be
 * larger than the file itself.
 */
import { AppError } from '../../errors/app.error.js';
import type { ReadLimits } from './read.limits.js';
import { assertInFile, type Source } from './source.js';

/** Bytes per value of each TIFF field type (TIFF 6 and BigTIFF). */
const FIELD_TYPE_BYTES: Readonly<Record<number, number>> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4, 16: 8, 17: 8, 18: 8,
};

/** One validated IFD: where it is and how many values each of its tags holds. */
export interface IfdEntryCounts {
  /** Byte offset of the IFD in the file */
  offset: number;
  /** Size of the IFD itself (entry count, entries, next offset) in bytes */
  byteLength: number;
  /** Tag number → value count */
  counts: Map<number, number>;
  /** Byte ranges [offset, length] of the values stored outside the IFD */
  values: [number, number][];
}

/** The file's byte order, flavour and validated IFD chain. */
export interface TiffLayout {
  littleEndian: boolean;
  bigTiff: boolean;
  ifds: IfdEntryCounts[];
}

/** Read and validate the header and every IFD of the chain (no tag values are decoded). */
export async function walkIfds(source: Source, limits: ReadLimits): Promise<TiffLayout> {
  if (source.size < 8) throw new AppError('invalid_tiff', `${source.path}: ${source.size} bytes is too small for a TIFF header`);
  const head = view(await source.read(0, Math.min(16, source.size)));
  const order = head.getUint16(0, false);
  if (order !== 0x4949 && order !== 0x4d4d) throw new AppError('invalid_tiff', `${source.path}: not a TIFF (byte order mark 0x${order.toString(16)})`);
  const littleEndian = order === 0x4949;
  const magic = head.getUint16(2, littleEndian);
  if (magic !== 42 && magic !== 43) throw new AppError('invalid_tiff', `${source.path}: not a TIFF (magic number ${magic})`);
  const bigTiff = magic === 43;
  if (bigTiff && (head.byteLength < 16 || head.getUint16(4, littleEndian) !== 8)) {
    throw new AppError('invalid_tiff', `${source.path}: BigTIFF header with an unsupported offset size`);
  }
  const ifds: IfdEntryCounts[] = [];
  const seen = new Set<number>();
  let next = bigTiff ? u64(head, 8, littleEndian) : head.getUint32(4, littleEndian);
  while (next !== 0) {
    if (seen.has(next)) throw new AppError('invalid_tiff', `${source.path}: the IFD chain loops back to byte ${next}`);
    if (ifds.length >= limits.maxIfds) throw new AppError('raster_too_large', `${source.path}: more than ${limits.maxIfds} IFDs`);
    seen.add(next);
    const { entry, nextOffset } = await readIfd(source, next, littleEndian, bigTiff, limits);
    ifds.push(entry);
    next = nextOffset;
  }
  if (ifds.length === 0) throw new AppError('invalid_tiff', `${source.path}: the TIFF has no image (first IFD offset is 0)`);
  return { littleEndian, bigTiff, ifds };
}

async function readIfd(source: Source, offset: number, le: boolean, bigTiff: boolean, limits: ReadLimits): Promise<{ entry: IfdEntryCounts; nextOffset: number }> {
  const countBytes = bigTiff ? 8 : 2;
  const entryBytes = bigTiff ? 20 : 12;
  const inlineBytes = bigTiff ? 8 : 4;
  assertInFile(source.path, source.size, offset, countBytes);
  const countView = view(await source.read(offset, countBytes));
  const n = bigTiff ? u64(countView, 0, le) : countView.getUint16(0, le);
  if (n === 0) throw new AppError('invalid_tiff', `${source.path}: empty IFD at byte ${offset}`);
  if (n > limits.maxIfdEntries) throw new AppError('invalid_tiff', `${source.path}: IFD at byte ${offset} declares ${n} entries (limit ${limits.maxIfdEntries})`);
  const ifdBytes = countBytes + n * entryBytes + (bigTiff ? 8 : 4);
  assertInFile(source.path, source.size, offset, ifdBytes);
  const ifd = view(await source.read(offset, ifdBytes));
  const counts = new Map<number, number>();
  const values: [number, number][] = [];
  for (let i = 0; i < n; i++) {
    const at = countBytes + i * entryBytes;
    const tag = ifd.getUint16(at, le);
    const type = ifd.getUint16(at + 2, le);
    const count = bigTiff ? u64(ifd, at + 4, le) : ifd.getUint32(at + 4, le);
    const size = FIELD_TYPE_BYTES[type];
    if (size === undefined) throw new AppError('invalid_tiff', `${source.path}: tag ${tag} in the IFD at byte ${offset} has unknown field type ${type}`);
    const length = count * size;
    if (length > inlineBytes) {
      const valueOffset = bigTiff ? u64(ifd, at + 12, le) : ifd.getUint32(at + 8, le);
      if (!Number.isSafeInteger(length) || valueOffset + length > source.size) {
        throw new AppError('truncated_tiff', `${source.path}: tag ${tag} (${count} values at byte ${valueOffset}) lies past the end of the file (${source.size} bytes)`);
      }
      values.push([valueOffset, length]);
    }
    counts.set(tag, count);
  }
  const nextOffset = bigTiff ? u64(ifd, ifdBytes - 8, le) : ifd.getUint32(ifdBytes - 4, le);
  if (nextOffset !== 0 && nextOffset >= source.size) {
    throw new AppError('truncated_tiff', `${source.path}: next IFD offset ${nextOffset} lies past the end of the file (${source.size} bytes)`);
  }
  return { entry: { offset, byteLength: ifdBytes, counts, values }, nextOffset };
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** An unsigned 64-bit value as a number; values past 2^53 cannot be file offsets we can read. */
function u64(v: DataView, at: number, le: boolean): number {
  const big = v.getBigUint64(at, le);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}
