/**
 * Coverage feedback from istanbul's counters (`globalThis.__coverage__`, filled by the instrumented src/
 * modules): every statement and every branch arm is a counter; after each execution the counters it
 * hit are read, bucketed by hit count as AFL does (1, 2, 3, 4-7, 8-15, 16-31, 32-127, 128+) and reset.
 * An input is interesting when it hits a (counter, bucket) pair no earlier input hit.
 */

interface FileCounters {
  path: string;
  s: Record<string, number>;
  b: Record<string, number[]>;
  sKeys: string[];
  bKeys: string[];
  /** Index of the file's first statement counter and first branch-arm counter in `hit` */
  sBase: number;
  bBase: number[];
}

type IstanbulFile = { path: string; s: Record<string, number>; b: Record<string, number[]> };

function bucket(count: number): number {
  if (count <= 3) return count - 1;
  if (count < 8) return 3;
  if (count < 16) return 4;
  if (count < 32) return 5;
  if (count < 128) return 6;
  return 7;
}

/** Coverage reached by one target, over the files it declares it covers. */
export interface CoverageReport {
  /** Branch arms hit at least once / all branch arms */
  branches: [number, number];
  /** Statements hit at least once / all statements */
  statements: [number, number];
  /** Files instrumented and loaded */
  files: number;
}

export class CoverageMap {
  private files: FileCounters[] = [];
  private known = 0;
  private counters = 0;
  /** Per counter: bit b set when bucket b was seen */
  private seen = new Uint8Array(0);

  private get raw(): Record<string, IstanbulFile> {
    return ((globalThis as { __coverage__?: Record<string, IstanbulFile> }).__coverage__ ??= {});
  }

  /** Pick up modules loaded since the last call. */
  private refresh(): void {
    const all = Object.values(this.raw);
    if (all.length === this.known) return;
    for (const f of all.slice(this.known)) {
      const sKeys = Object.keys(f.s);
      const bKeys = Object.keys(f.b);
      const sBase = this.counters;
      this.counters += sKeys.length;
      const bBase = bKeys.map((k) => {
        const base = this.counters;
        this.counters += f.b[k]!.length;
        return base;
      });
      this.files.push({ path: f.path, s: f.s, b: f.b, sKeys, bKeys, sBase, bBase });
    }
    this.known = all.length;
    const grown = new Uint8Array(this.counters);
    grown.set(this.seen);
    this.seen = grown;
  }

  /** Forget the counts of whatever ran before (module loading, set-up). */
  reset(): void {
    this.collect();
  }

  /** Read and reset the counters of the last execution; returns how many new (counter, bucket) pairs it hit. */
  collect(): number {
    this.refresh();
    let fresh = 0;
    const seen = this.seen;
    for (const f of this.files) {
      for (let i = 0; i < f.sKeys.length; i++) {
        const c = f.s[f.sKeys[i]!]!;
        if (c === 0) continue;
        f.s[f.sKeys[i]!] = 0;
        const bit = 1 << bucket(c);
        const idx = f.sBase + i;
        if (!(seen[idx]! & bit)) {
          seen[idx]! |= bit;
          fresh++;
        }
      }
      for (let j = 0; j < f.bKeys.length; j++) {
        const arms = f.b[f.bKeys[j]!]!;
        for (let a = 0; a < arms.length; a++) {
          const c = arms[a]!;
          if (c === 0) continue;
          arms[a] = 0;
          const bit = 1 << bucket(c);
          const idx = f.bBase[j]! + a;
          if (!(seen[idx]! & bit)) {
            seen[idx]! |= bit;
            fresh++;
          }
        }
      }
    }
    return fresh;
  }

  /** (counter, bucket) pairs seen so far. */
  features(): number {
    let n = 0;
    for (const v of this.seen) for (let b = v; b; b &= b - 1) n++;
    return n;
  }

  /** Whether a counter was ever hit. */
  private hit(idx: number): boolean {
    return (this.seen[idx] ?? 0) !== 0;
  }

  /**
   * Statements and branch arms ever hit in the files whose path contains one of `covers`; with `base`,
   * also those `base` saw (the statements that run when the modules load, before any input).
   */
  report(covers: readonly string[], base?: CoverageMap): CoverageReport {
    this.refresh();
    const r: CoverageReport = { branches: [0, 0], statements: [0, 0], files: 0 };
    for (const f of this.files) {
      if (!covers.some((c) => f.path.includes(c))) continue;
      r.files++;
      for (let i = 0; i < f.sKeys.length; i++) {
        r.statements[1]++;
        if (this.hit(f.sBase + i) || base?.hit(f.sBase + i)) r.statements[0]++;
      }
      for (let j = 0; j < f.bKeys.length; j++) {
        const arms = f.b[f.bKeys[j]!]!.length;
        for (let a = 0; a < arms; a++) {
          r.branches[1]++;
          if (this.hit(f.bBase[j]! + a) || base?.hit(f.bBase[j]! + a)) r.branches[0]++;
        }
      }
    }
    return r;
  }
}
