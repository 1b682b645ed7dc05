/**
 * Byte-level mutations in the manner of AFL's havoc stage and libFuzzer's mutators: bit flips, interesting
 * integers (8/16/32-bit, both byte orders), small arithmetic, block delete/insert/duplicate/copy, bracket nesting,
 * dictionary tokens (overwrite or insert), cross-over with another corpus input, truncation. A mutant is
 * 1 to 8 stacked mutations of one parent, capped at `maxLength` bytes.
 */
import type { Random } from './fuzz.random.js';

const INTERESTING_8 = [0, 1, 0x7f, 0x80, 0xff, 2, 4, 8, 16, 32, 64, 100];
const INTERESTING_16 = [0, 1, 0x7fff, 0x8000, 0xffff, 0x100, 0x200, 0x400, 0x1000, 255, 256, 512, 1024, 4096, 32767];
const INTERESTING_32 = [0, 1, 0x7fffffff, 0x80000000, 0xffffffff, 0x10000, 0x100000, 0x1000000, 0xfffffff0, 65536, 1 << 20, 1 << 24, 1 << 30];

/** What a mutation may draw on besides the parent. */
export interface MutationContext {
  random: Random;
  /** Dictionary tokens (e.g. TIFF tag numbers, JSON keywords) */
  dictionary: readonly Uint8Array[];
  /** Another corpus input to cross over with */
  other: () => Uint8Array;
  maxLength: number;
}

type Mutator = (data: Uint8Array, ctx: MutationContext) => Uint8Array;

function writeInt(data: Uint8Array, at: number, bytes: number, value: number, littleEndian: boolean): void {
  for (let i = 0; i < bytes; i++) {
    const shift = 8 * (littleEndian ? i : bytes - 1 - i);
    data[at + i] = shift >= 32 ? 0 : Number((BigInt(value >>> 0) >> BigInt(shift)) & 0xffn);
  }
}

function readInt(data: Uint8Array, at: number, bytes: number, littleEndian: boolean): number {
  let v = 0;
  for (let i = 0; i < bytes; i++) v = v * 256 + data[at + (littleEndian ? bytes - 1 - i : i)]!;
  return v;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

const flipBit: Mutator = (d, { random }) => {
  if (d.length === 0) return d;
  const at = random.below(d.length);
  d[at]! ^= 1 << random.below(8);
  return d;
};

const randomByte: Mutator = (d, { random }) => {
  if (d.length === 0) return d;
  d[random.below(d.length)] = random.below(256);
  return d;
};

function interesting(bytes: 1 | 2 | 4): Mutator {
  const values = bytes === 1 ? INTERESTING_8 : bytes === 2 ? INTERESTING_16 : INTERESTING_32;
  return (d, { random }) => {
    if (d.length < bytes) return d;
    writeInt(d, random.below(d.length - bytes + 1), bytes, random.pick(values), random.oneIn(2));
    return d;
  };
}

function arith(bytes: 1 | 2 | 4): Mutator {
  return (d, { random }) => {
    if (d.length < bytes) return d;
    const at = random.below(d.length - bytes + 1);
    const le = random.oneIn(2);
    const delta = (random.below(35) + 1) * (random.oneIn(2) ? 1 : -1);
    const max = 2 ** (8 * bytes);
    writeInt(d, at, bytes, (((readInt(d, at, bytes, le) + delta) % max) + max) % max, le);
    return d;
  };
}

const deleteBlock: Mutator = (d, { random }) => {
  if (d.length < 2) return d;
  const len = 1 + random.below(Math.min(d.length - 1, random.oneIn(4) ? 256 : 16));
  const at = random.below(d.length - len + 1);
  return concat(d.subarray(0, at), d.subarray(at + len));
};

const insertBytes: Mutator = (d, { random }) => {
  const len = 1 + random.below(random.oneIn(4) ? 128 : 8);
  const block = new Uint8Array(len);
  const fill = random.oneIn(2) ? random.below(256) : -1;
  for (let i = 0; i < len; i++) block[i] = fill >= 0 ? fill : random.below(256);
  const at = random.below(d.length + 1);
  return concat(d.subarray(0, at), block, d.subarray(at));
};

/** Repeat a block several times (deep nesting in JSON, long runs in codecs). */
const duplicateBlock: Mutator = (d, { random }) => {
  if (d.length === 0) return d;
  const len = 1 + random.below(Math.min(d.length, 32));
  const at = random.below(d.length - len + 1);
  const block = d.subarray(at, at + len);
  const times = 1 + random.below(random.oneIn(8) ? 2000 : 8);
  return concat(d.subarray(0, at), ...Array.from({ length: times }, () => block), d.subarray(at));
};

const copyBlock: Mutator = (d, { random }) => {
  if (d.length < 2) return d;
  const len = 1 + random.below(Math.min(d.length - 1, 64));
  const from = random.below(d.length - len + 1);
  const to = random.below(d.length - len + 1);
  d.copyWithin(to, from, from + len);
  return d;
};

const overwriteToken: Mutator = (d, { random, dictionary }) => {
  if (dictionary.length === 0 || d.length === 0) return d;
  const token = random.pick(dictionary);
  if (token.length > d.length) return d;
  d.set(token, random.below(d.length - token.length + 1));
  return d;
};

const insertToken: Mutator = (d, { random, dictionary }) => {
  if (dictionary.length === 0) return d;
  const at = random.below(d.length + 1);
  return concat(d.subarray(0, at), random.pick(dictionary), d.subarray(at));
};

const crossOver: Mutator = (d, { random, other }) => {
  const o = other();
  if (o.length === 0) return d;
  const from = random.below(o.length);
  const len = 1 + random.below(Math.min(o.length - from, 512));
  if (random.oneIn(2) && d.length >= len) {
    d.set(o.subarray(from, from + len), random.below(d.length - len + 1));
    return d;
  }
  const at = random.below(d.length + 1);
  return concat(d.subarray(0, at), o.subarray(from, from + len), d.subarray(at));
};

/** Wrap a block in k bracket pairs (`[` … `]`): deep nesting for parsers of JSON-like text. */
const nestBlock: Mutator = (d, { random }) => {
  const a = random.below(d.length + 1);
  const b = a + random.below(d.length - a + 1);
  const k = 1 + random.below(random.oneIn(8) ? 8000 : 4);
  return concat(d.subarray(0, a), new Uint8Array(k).fill(0x5b), d.subarray(a, b), new Uint8Array(k).fill(0x5d), d.subarray(b));
};

const truncate: Mutator = (d, { random }) => (d.length < 2 ? d : d.slice(0, random.below(d.length)));

/** Mutators with their weights (how often each is drawn). */
const MUTATORS: [Mutator, number][] = [
  [flipBit, 6], [randomByte, 4], [interesting(1), 3], [interesting(2), 4], [interesting(4), 4], [arith(1), 3], [arith(2), 3], [arith(4), 2],
  [deleteBlock, 3], [insertBytes, 2], [duplicateBlock, 2], [copyBlock, 2], [overwriteToken, 4], [insertToken, 3], [crossOver, 2], [nestBlock, 1], [truncate, 1],
];
const TOTAL_WEIGHT = MUTATORS.reduce((n, [, w]) => n + w, 0);

function drawMutator(random: Random): Mutator {
  let r = random.below(TOTAL_WEIGHT);
  for (const [m, w] of MUTATORS) {
    if (r < w) return m;
    r -= w;
  }
  return flipBit;
}

/** A mutant of `parent` (the parent is not modified). */
export function mutate(parent: Uint8Array, ctx: MutationContext): Uint8Array {
  let d: Uint8Array = parent.slice();
  const stack = 1 << ctx.random.below(4);
  for (let i = 0; i < stack; i++) {
    d = drawMutator(ctx.random)(d, ctx);
    if (d.length > ctx.maxLength) d = d.slice(0, ctx.maxLength);
  }
  return d;
}

/**
 * Parse a dictionary in the AFL/libFuzzer format: one `name="value"` (or `"value"`) a line, `\xHH`,
 * `\\` and `\"` escapes, `#` comments.
 */
export function parseDictionary(text: string): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(?:[\w.-]+\s*=\s*)?"((?:[^"\\]|\\.)*)"\s*$/.exec(line);
    if (!m) continue;
    const bytes: number[] = [];
    const s = m[1]!;
    for (let i = 0; i < s.length; i++) {
      if (s[i] === '\\' && s[i + 1] === 'x') {
        bytes.push(parseInt(s.slice(i + 2, i + 4), 16));
        i += 3;
      } else if (s[i] === '\\') {
        bytes.push(s.charCodeAt(++i));
      } else {
        bytes.push(s.charCodeAt(i) & 0xff);
      }
    }
    out.push(Uint8Array.from(bytes));
  }
  return out;
}
