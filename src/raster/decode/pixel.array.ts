/**
 * Typed arrays for the engine's data types: allocation, byte views, and GDAL's conversion of a
 * value (e.g. a nodata value) into a data type (clamped to range, rounded for integers).
 */
import type { DataType, PixelArray } from '../raster.types.js';

/** Whether this machine stores words least significant byte first (word-at-a-time byte loops assume it). */
export const HostLittleEndian = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Bytes per sample of a data type. */
export function sampleBytes(type: DataType): 1 | 2 | 4 | 8 {
  switch (type) {
    case 'uint8':
    case 'int8':
      return 1;
    case 'uint16':
    case 'int16':
      return 2;
    case 'uint32':
    case 'int32':
    case 'float32':
      return 4;
    case 'float64':
      return 8;
  }
}

/** A zeroed typed array of `length` samples. */
export function allocPixels(type: DataType, length: number): PixelArray {
  return viewPixels(type, new ArrayBuffer(length * sampleBytes(type)), 0, length);
}

/** A typed-array view of `length` samples over `buffer` from `byteOffset` (which must be aligned). */
export function viewPixels(type: DataType, buffer: ArrayBufferLike, byteOffset: number, length: number): PixelArray {
  switch (type) {
    case 'uint8':
      return new Uint8Array(buffer, byteOffset, length);
    case 'int8':
      return new Int8Array(buffer, byteOffset, length);
    case 'uint16':
      return new Uint16Array(buffer, byteOffset, length);
    case 'int16':
      return new Int16Array(buffer, byteOffset, length);
    case 'uint32':
      return new Uint32Array(buffer, byteOffset, length);
    case 'int32':
      return new Int32Array(buffer, byteOffset, length);
    case 'float32':
      return new Float32Array(buffer, byteOffset, length);
    case 'float64':
      return new Float64Array(buffer, byteOffset, length);
  }
}

/** Samples of `type` over bytes, copying only when the bytes are not aligned for the type. */
export function pixelsFromBytes(type: DataType, bytes: Uint8Array, length: number): PixelArray {
  const size = sampleBytes(type);
  if (bytes.byteOffset % size === 0) return viewPixels(type, bytes.buffer, bytes.byteOffset, length);
  const copy = new Uint8Array(length * size);
  copy.set(bytes.subarray(0, length * size));
  return viewPixels(type, copy.buffer, 0, length);
}

/** The bytes of a typed array (a view, no copy). */
export function pixelBytes(pixels: PixelArray): Uint8Array {
  return new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength);
}

/** The values each data type can hold (floats: every finite value). */
export const RANGES: Readonly<Record<DataType, readonly [number, number]>> = {
  uint8: [0, 255],
  int8: [-128, 127],
  uint16: [0, 65535],
  int16: [-32768, 32767],
  uint32: [0, 4294967295],
  int32: [-2147483648, 2147483647],
  float32: [-Infinity, Infinity],
  float64: [-Infinity, Infinity],
};

/** A value as GDAL stores it into a data type: integers rounded and clamped (NaN becomes 0). */
export function castToType(value: number, type: DataType): number {
  if (type === 'float32') return Math.fround(value);
  if (type === 'float64') return value;
  if (Number.isNaN(value)) return 0;
  const [lo, hi] = RANGES[type];
  return Math.min(hi, Math.max(lo, Math.round(value)));
}
