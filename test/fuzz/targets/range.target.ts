/**
 * Fuzz target: `Range` and `If-Range` of a file download. Input: a 4-byte file size, then the Range
 * header, a NUL, the If-Range header. A chosen range always lies inside the file, start <= end.
 */
import { rangeFor } from '../../../src/http/range.parse.js';
import { check, settle, type FuzzTarget } from '../fuzz.target.js';

const Etag = '"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"';

export const RangeTarget: FuzzTarget = {
  name: 'range',
  about: 'Range / If-Range headers and a file size → rangeFor (the range sendFile answers)',
  covers: ['src/http/range.parse.ts'],
  dictionary: 'range.dict',
  maxLength: 512,
  maxAllocBytes: 1 << 16,
  run: async (data) => {
    const size = data.length >= 4 ? new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true) % 1_000_001 : 1000;
    const text = Buffer.from(data.subarray(Math.min(4, data.length))).toString('latin1');
    const [range = '', ifRange = ''] = text.split('\0');
    const withEtag = ifRange === 'E' ? Etag : ifRange;
    return settle(() => {
      const r = rangeFor(range, withEtag, Etag, size);
      if (r) check(Number.isSafeInteger(r.start) && Number.isSafeInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end < size, `range ${r.start}-${r.end} of a ${size}-byte file`);
    });
  },
};
