/**
 * Hand-made (hostile) little-endian classic TIFFs for the guard tests: IFD at byte 8, out-of-line
 * tag values after it, then a payload whose offset the entries can refer to.
 */

/** One IFD entry: tag, field type (2 ASCII, 3 SHORT, 4 LONG, 7 UNDEFINED, 12 DOUBLE) and values. */
export interface ForgedEntry {
  tag: number;
  type: 2 | 3 | 4 | 7 | 12;
  values: number[] | string;
  /** Declared count when it should differ from the values given (a lie) */
  count?: number;
}

const SIZES: Record<ForgedEntry['type'], number> = { 2: 1, 3: 2, 4: 4, 7: 1, 12: 8 };

/**
 * A TIFF whose entries may depend on where the payload lands. `nextIfd` overrides the next-IFD
 * offset (e.g. to make a loop back to byte 8).
 */
export function forgeTiff(entries: (payloadOffset: number) => ForgedEntry[], payload = new Uint8Array(0), nextIfd = 0): Uint8Array {
  const layout = entries(0);
  const ifdBytes = 2 + layout.length * 12 + 4;
  const outOfLine = layout.map((e) => valueBytes(e)).map((n) => (n > 4 ? n + (n % 2) : 0));
  const payloadOffset = 8 + ifdBytes + outOfLine.reduce((a, b) => a + b, 0);
  const list = entries(payloadOffset).sort((a, b) => a.tag - b.tag);
  const buf = new Uint8Array(payloadOffset + payload.length);
  const v = new DataView(buf.buffer);
  buf.set([0x49, 0x49]);
  v.setUint16(2, 42, true);
  v.setUint32(4, 8, true);
  v.setUint16(8, list.length, true);
  let extra = 8 + ifdBytes;
  list.forEach((e, i) => {
    const at = 10 + i * 12;
    const values = typeof e.values === 'string' ? Array.from(Buffer.from(`${e.values}\0`, 'latin1')) : e.values;
    v.setUint16(at, e.tag, true);
    v.setUint16(at + 2, e.type, true);
    v.setUint32(at + 4, e.count ?? values.length, true);
    const size = SIZES[e.type];
    let to = at + 8;
    if (values.length * size > 4) {
      v.setUint32(at + 8, extra, true);
      to = extra;
      extra += values.length * size + ((values.length * size) % 2);
    }
    values.forEach((x, k) => {
      if (size === 1) v.setUint8(to + k, x);
      else if (size === 2) v.setUint16(to + k * 2, x, true);
      else if (size === 4) v.setUint32(to + k * 4, x, true);
      else v.setFloat64(to + k * 8, x, true);
    });
  });
  v.setUint32(8 + 2 + list.length * 12, nextIfd, true);
  buf.set(payload, payloadOffset);
  return buf;
}

function valueBytes(e: ForgedEntry): number {
  const n = typeof e.values === 'string' ? e.values.length + 1 : e.values.length;
  return n * SIZES[e.type];
}

/** The entries of a plain tiled 8-bit greyscale image. */
export function tiledGrey(width: number, height: number, tile: number, compression: number, offsets: number[], byteCounts: number[]): ForgedEntry[] {
  return [
    { tag: 256, type: 4, values: [width] },
    { tag: 257, type: 4, values: [height] },
    { tag: 258, type: 3, values: [8] },
    { tag: 259, type: 3, values: [compression] },
    { tag: 262, type: 3, values: [1] },
    { tag: 277, type: 3, values: [1] },
    { tag: 322, type: 3, values: [tile] },
    { tag: 323, type: 3, values: [tile] },
    { tag: 324, type: 4, values: offsets },
    { tag: 325, type: 4, values: byteCounts },
  ];
}
