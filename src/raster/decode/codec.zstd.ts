/**
 * ZSTD through fzstd (pure JS; Node 20 has no zstd in node:zlib). The output buffer is allocated
 * at the tile's decoded size and the frame's declared content size is checked against it first.
 */
import { decompress } from 'fzstd';
import { AppError } from '../../errors/app.error.js';

/** Decompress one zstd frame into at most `maxBytes` bytes. */
export function zstdDecode(bytes: Uint8Array, maxBytes: number, what: string): Uint8Array {
  const declared = frameContentSize(bytes);
  if (declared !== undefined && declared > maxBytes) {
    throw new AppError('tile_too_large', `${what}: ZSTD frame declares ${declared} bytes, more than the tile's ${maxBytes}`);
  }
  const out = new Uint8Array(maxBytes);
  try {
    decompress(bytes, out);
  } catch (err) {
    throw new AppError('invalid_tiff', `${what}: corrupt ZSTD data (${(err as Error).message})`, { cause: err });
  }
  return declared === undefined ? out : out.subarray(0, declared);
}

/** Frame_Content_Size from a zstd frame header (RFC 8878 3.1.1.1), when the header carries it. */
function frameContentSize(b: Uint8Array): number | undefined {
  if (b.length < 6 || b[0] !== 0x28 || b[1] !== 0xb5 || b[2] !== 0x2f || b[3] !== 0xfd) return undefined;
  const fhd = b[4];
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd >> 5) & 1;
  const fcsBytes = [singleSegment ? 1 : 0, 2, 4, 8][fcsFlag];
  if (fcsBytes === 0) return undefined;
  const at = 5 + (singleSegment ? 0 : 1) + [0, 1, 2, 4][fhd & 3];
  if (at + fcsBytes > b.length) return undefined;
  let v = 0;
  for (let i = fcsBytes - 1; i >= 0; i--) v = v * 256 + b[at + i];
  return fcsBytes === 2 ? v + 256 : v;
}
