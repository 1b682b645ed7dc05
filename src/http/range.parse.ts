/** Parse a single `Range: bytes=…` header (multi-range is not supported; 416 when unsatisfiable). */
import { AppError } from '../errors/app.error.js';

export function parseRange(header: string, size: number): { start: number; end: number } | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m) return null; // unparsable or multi-range: ignore and send the whole file (RFC 9110 allows it)
  const [, a, b] = m;
  let start: number;
  let end: number;
  if (a === '' && b === '') return null;
  if (a === '') {
    const suffix = Number(b);
    if (suffix === 0) throw rangeError(size);
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(a);
    end = b === '' ? size - 1 : Math.min(Number(b), size - 1);
  }
  if (start >= size || start > end) throw rangeError(size);
  return { start, end };
}

function rangeError(size: number): AppError {
  return new AppError('range_not_satisfiable', `Range not satisfiable for a ${size}-byte file`, { headers: { 'Content-Range': `bytes */${size}` } });
}
