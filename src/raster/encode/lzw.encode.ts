/**
 * TIFF-flavoured LZW (Compression 5) as libtiff writes it: MSB-first bit packing, codes of 9 to 12 bits,
 * ClearCode 256 first, EndOfInformation 257 last, and the "early change" code-width switch.
 * The string table is a dense (prefix code, next byte) -> code array, so each input byte costs one lookup.
 */

const CLEAR = 256;
const EOI = 257;
const FIRST = 258;
/** libtiff emits a ClearCode when the next free code would be 4094 (CODE_MAX - 1). */
const FULL = 4094;

/** child[(prefix << 8) | byte] = code of that string, 0 when absent (real codes are >= 258). */
let child: Uint16Array | undefined;
/** Keys set since the last clear, to reset the table without touching all of its 2 MiB. */
const used = new Int32Array(4096);

/** Compress bytes with TIFF LZW. */
export function lzwEncode(src: Uint8Array): Uint8Array {
  const table = (child ??= new Uint16Array(4096 * 256));
  // Worst case is 12 bits per input byte plus the clear codes.
  const out = new Uint8Array(Math.ceil(src.length * 1.5) + 64);
  let op = 0;
  let acc = 0; // pending bits, right-aligned
  let accBits = 0;
  let nbits = 9;
  let maxcode = 511;
  let freeEnt = FIRST;
  let nUsed = 0;

  const put = (code: number): void => {
    acc = (acc << nbits) | code;
    accBits += nbits;
    while (accBits >= 8) {
      accBits -= 8;
      out[op++] = (acc >>> accBits) & 0xff;
    }
    acc &= (1 << accBits) - 1;
  };

  put(CLEAR);
  if (src.length === 0) {
    put(EOI);
    if (accBits > 0) out[op++] = (acc << (8 - accBits)) & 0xff;
    return out.slice(0, op);
  }
  let ent = src[0]!;
  for (let i = 1; i < src.length; i++) {
    const c = src[i]!;
    const key = (ent << 8) | c;
    const next = table[key]!;
    if (next !== 0) {
      ent = next;
      continue;
    }
    put(ent);
    table[key] = freeEnt++;
    used[nUsed++] = key;
    ent = c;
    if (freeEnt === FULL) {
      put(CLEAR);
      for (let k = 0; k < nUsed; k++) table[used[k]!] = 0;
      nUsed = 0;
      freeEnt = FIRST;
      nbits = 9;
      maxcode = 511;
    } else if (freeEnt > maxcode) {
      nbits++;
      maxcode = (1 << nbits) - 1;
    }
  }
  put(ent);
  // As libtiff's LZWPostEncode: account for the entry a decoder adds, so EOI has the width it expects.
  freeEnt++;
  if (freeEnt === FULL) nbits = 9;
  else if (freeEnt > maxcode) nbits++;
  put(EOI);
  if (accBits > 0) out[op++] = (acc << (8 - accBits)) & 0xff;
  for (let k = 0; k < nUsed; k++) table[used[k]!] = 0;
  return out.slice(0, op);
}
