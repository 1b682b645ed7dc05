/**
 * TIFF-flavoured LZW (Compression 5) as libtiff writes it: MSB-first bit packing, codes of 9 to 12 bits,
 * ClearCode 256 first, EndOfInformation 257 last, and the "early change" code-width switch.
 * The string table is a dense (prefix code, next byte) -> code array, so each input byte costs one
 * lookup; bit output is inlined in the loop (a closure per code costs ~30% here).
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
  const n = src.length;
  // Worst case is 12 bits per input byte, plus the clear codes and EOI.
  const out = new Uint8Array(Math.ceil(n * 1.5) + 64);
  let op = 0;
  let acc = CLEAR; // pending bits, right-aligned
  let accBits = 9;
  let nbits = 9;
  let maxcode = 511;
  let freeEnt = FIRST;
  let nUsed = 0;
  let ent = n > 0 ? src[0]! : -1;

  for (let i = 1; i < n; i++) {
    const c = src[i]!;
    const key = (ent << 8) | c;
    const next = table[key]!;
    if (next !== 0) {
      ent = next;
      continue;
    }
    acc = (acc << nbits) | ent;
    accBits += nbits;
    while (accBits >= 8) {
      accBits -= 8;
      out[op++] = acc >>> accBits;
    }
    acc &= (1 << accBits) - 1;
    table[key] = freeEnt++;
    used[nUsed++] = key;
    ent = c;
    if (freeEnt === FULL) {
      acc = (acc << nbits) | CLEAR;
      accBits += nbits;
      while (accBits >= 8) {
        accBits -= 8;
        out[op++] = acc >>> accBits;
      }
      acc &= (1 << accBits) - 1;
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
  const tail: number[] = [];
  if (ent >= 0) {
    tail.push(ent, nbits);
    // As libtiff's LZWPostEncode: account for the entry a decoder adds, so EOI has the width it expects.
    freeEnt++;
    if (freeEnt === FULL) nbits = 9;
    else if (freeEnt > maxcode) nbits++;
  }
  tail.push(EOI, nbits);
  for (let t = 0; t < tail.length; t += 2) {
    acc = (acc << tail[t + 1]!) | tail[t]!;
    accBits += tail[t + 1]!;
    while (accBits >= 8) {
      accBits -= 8;
      out[op++] = acc >>> accBits;
    }
    acc &= (1 << accBits) - 1;
  }
  if (accBits > 0) out[op++] = acc << (8 - accBits);
  for (let k = 0; k < nUsed; k++) table[used[k]!] = 0;
  return out.slice(0, op);
}
