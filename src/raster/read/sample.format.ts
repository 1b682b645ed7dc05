/**
 * The engine's data type from BitsPerSample and SampleFormat, and the checks GDAL-made files pass:
 * every sample of a pixel shares one width and format; 8, 16, 32 or 64 bits.
 */
import { AppError } from '../../errors/app.error.js';
import type { DataType } from '../raster.types.js';

const NAMES: Readonly<Record<string, DataType>> = {
  '1/8': 'uint8', '2/8': 'int8', '1/16': 'uint16', '2/16': 'int16', '1/32': 'uint32', '2/32': 'int32', '3/32': 'float32', '3/64': 'float64',
};

const FORMAT_NAMES: Readonly<Record<number, string>> = { 1: 'unsigned integer', 2: 'signed integer', 3: 'floating point', 4: 'untyped', 5: 'complex integer', 6: 'complex floating point' };

/** The data type of a TIFF image; `unsupported_tiff` for anything the engine does not read (1-bit, 12-bit, float16, complex...). */
export function dataTypeOf(path: string, bitsPerSample: number[] | undefined, sampleFormat: number[] | undefined): DataType {
  const bits = bitsPerSample ?? [1];
  const formats = sampleFormat ?? [1];
  const b = bits[0];
  // SampleFormat 4 (void) is read as unsigned, as libtiff does.
  const f = formats[0] === 4 ? 1 : formats[0];
  if (bits.some((x) => x !== b) || formats.some((x) => (x === 4 ? 1 : x) !== f)) {
    throw new AppError('unsupported_tiff', `${path}: bands of different types (BitsPerSample ${bits.join(',')}, SampleFormat ${formats.join(',')}) are not supported`);
  }
  const type = NAMES[`${f}/${b}`];
  if (!type) {
    throw new AppError('unsupported_tiff', `${path}: ${b}-bit ${FORMAT_NAMES[f] ?? `SampleFormat ${f}`} samples are not supported`);
  }
  return type;
}
