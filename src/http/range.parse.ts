/** Parse a single `Range: bytes=…` header (multi-range is not supported; 416 when unsatisfiable). */
import { AppError } from '../errors/app.error.js';

/**
 * The range to send for a request's `Range` and `If-Range` headers ('' when absent), or null for the whole
 * file: an `If-Range` that is not exactly the file's strong ETag (another ETag, a weak one, a date) sends
 * the whole file, as RFC 9110 13.1.5 allows.
 */
export function rangeFor(range: string, ifRange: string, etag: string, size: number): { start: number; end: number } | null {
  if (!range || (ifRange && ifRange !== etag)) return null;
  return parseRange(range, size);
}

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
