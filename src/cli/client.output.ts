/**
 * What the CLI prints: indented JSON (as the official CLI), NDJSON lines, a table for terminals, and
 * progress lines on stderr. The formatting functions are pure; the writers take the stream.
 */

/** Indented JSON with a trailing newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** A record flattened to table cells: GeoJSON Features show their properties and geometry type. */
export function tableRow(record: unknown): Record<string, string> {
  if (!record || typeof record !== 'object' || Array.isArray(record)) return { value: cell(record) };
  const r = record as Record<string, unknown>;
  const flat: Record<string, unknown> = r.type === 'Feature' && r.properties && typeof r.properties === 'object'
    ? { ...(r.id === undefined ? {} : { id: r.id }), ...(r.properties as Record<string, unknown>), geometry: (r.geometry as { type?: string } | null)?.type ?? null }
    : r;
  return Object.fromEntries(Object.entries(flat).map(([k, v]) => [k, cell(v)]));
}

/** One cell: scalars as text, scalar arrays joined, objects as compact JSON. */
export function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => v === null || typeof v !== 'object')) {
    return (value as unknown[]).map((v) => (typeof v === 'number' && !Number.isInteger(v) ? String(Number(v.toFixed(6))) : String(v ?? ''))).join(',');
  }
  return JSON.stringify(value);
}

function fit(text: string, width: number): string {
  const oneLine = text.replace(/\s+/g, ' ');
  return oneLine.length > width ? `${oneLine.slice(0, Math.max(0, width - 1))}…` : oneLine.padEnd(width);
}

/**
 * A table that streams: the first `sample` rows fix the columns and widths (at most `maxWidth` a
 * column), later rows are printed as they come in those columns.
 */
export class StreamingTable {
  private readonly pending: Record<string, string>[] = [];
  private columns: { key: string; width: number }[] | undefined;
  private count = 0;

  constructor(private readonly write: (text: string) => void, private readonly sample = 20, private readonly maxWidth = 40) {}

  add(record: unknown): void {
    this.count += 1;
    const row = tableRow(record);
    if (this.columns) {
      this.print(row);
      return;
    }
    this.pending.push(row);
    if (this.pending.length >= this.sample) this.flush();
  }

  /** Print what is buffered (call at the end). */
  end(): void {
    if (!this.columns) this.flush();
    if (this.count === 0) this.write('(no records)\n');
  }

  private flush(): void {
    const keys: string[] = [];
    for (const row of this.pending) for (const k of Object.keys(row)) if (!keys.includes(k)) keys.push(k);
    this.columns = keys.map((key) => ({ key, width: Math.min(this.maxWidth, Math.max(key.length, ...this.pending.map((r) => (r[key] ?? '').length))) }));
    if (this.columns.length === 0) return;
    this.write(`${this.columns.map((c) => fit(c.key.toUpperCase(), c.width)).join('  ').trimEnd()}\n`);
    for (const row of this.pending.splice(0)) this.print(row);
  }

  private print(row: Record<string, string>): void {
    this.write(`${this.columns!.map((c) => fit(row[c.key] ?? '', c.width)).join('  ').trimEnd()}\n`);
  }
}

/** `[#########.........]  45%` */
export function progressBar(fraction: number, width = 24): string {
  const f = Math.min(1, Math.max(0, Number.isFinite(fraction) ? fraction : 0));
  const filled = Math.round(f * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(f * 100)).padStart(3)}%`;
}

/** Bytes as B, KiB, MiB, GiB. */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return u === 0 ? `${n} B` : `${v.toFixed(1)} ${units[u]}`;
}

/**
 * A progress line on a stream: redrawn in place on a terminal; on a pipe or log, a new line only when
 * the text changes in more than its percentage or every 10%, so logs stay short.
 */
export class ProgressLine {
  private last = '';
  private lastKey: string | undefined;
  private lastStep = -1;
  private drawn = false;

  constructor(private readonly out: { write(text: string): unknown; isTTY?: boolean }) {}

  /** Show `fraction` (0..1) and a label; off a terminal a line is written when `key` or the 10% step changes. */
  update(fraction: number, label: string, key: string = label): void {
    const text = `${progressBar(fraction)} ${label}`;
    if (this.out.isTTY) {
      if (text === this.last) return;
      this.out.write(`\r\x1b[2K${text}`);
      this.drawn = true;
    } else {
      const step = Math.floor(Math.min(1, Math.max(0, fraction)) * 10);
      if (key === this.lastKey && step === this.lastStep) return;
      this.out.write(`${text}\n`);
      this.lastKey = key;
      this.lastStep = step;
    }
    this.last = text;
  }

  /** End the line (a terminal's cursor moves past it). */
  done(): void {
    if (this.out.isTTY && this.drawn) this.out.write('\n');
    this.drawn = false;
  }
}
