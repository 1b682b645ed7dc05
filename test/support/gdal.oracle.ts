/**
 * GDAL as the oracle in one long-lived Python process: the sweeps ask it hundreds of questions, and each
 * new `python3` or `gdalinfo` process pays its start (numpy and GDAL imported: about 0.35 s for Python)
 * before its answer. The questions and answers are the same as test/support/gdal.ts' one-shot helpers:
 * `gdal.Info` is what `gdalinfo -json` prints, `gdal.Warp` is `gdalwarp` with the same arguments.
 *
 * Wire: one JSON request per line on stdin; per request one JSON header line on stdout
 * (`{"ok": true, "result": …, "blobs": [sizes]}` or `{"ok": false, "error": "…"}`), then the blobs' bytes.
 * Requests are answered in order.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { gdalPython, readSpecs, type GdalBandStatistics, type GdalInfo, type GdalRead } from './gdal.js';
import { GdalPyLib } from './gdal.py.js';

const Server = `${GdalPyLib}
ops = dict(pixels=pixels, stats=stats, validate=validate, warp=warp, info=info)
out = sys.stdout.buffer
for line in sys.stdin:
    req = json.loads(line)
    try:
        result, blobs = ops[req['op']](*req['args'])
        out.write((json.dumps(dict(ok=True, result=result, blobs=[len(b) for b in blobs])) + '\\n').encode())
        for b in blobs: out.write(b)
    except Exception as e:
        out.write((json.dumps(dict(ok=False, error='%s: %s' % (type(e).__name__, e))) + '\\n').encode())
    out.flush()
`;

interface Pending {
  resolve: (v: { result: unknown; blobs: Buffer[] }) => void;
  reject: (e: Error) => void;
}

/** One Python process answering GDAL questions in order; `close` it in `after`. */
export class GdalOracle {
  private readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly pending: Pending[] = [];
  private chunks: Buffer[] = [];
  private length = 0;
  private header: { ok: boolean; result?: unknown; blobs?: number[]; error?: string } | null = null;
  private ended: Error | null = null;

  constructor() {
    this.child = spawn(gdalPython, ['-c', Server], { stdio: ['pipe', 'pipe', 'inherit'] });
    this.hold(false);
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.length += chunk.length;
      this.drain();
    });
    this.child.on('close', (code) => {
      this.ended = new Error(`the GDAL oracle process ended (exit ${code})`);
      for (const p of this.pending.splice(0)) p.reject(this.ended);
    });
  }

  /** Each complete answer in the buffer goes to the oldest request waiting (chunks joined only once an answer is whole). */
  private drain(): void {
    for (;;) {
      if (!this.header) {
        const joined = this.join();
        const nl = joined.indexOf(10);
        if (nl < 0) return;
        this.header = JSON.parse(joined.subarray(0, nl).toString('utf8')) as NonNullable<GdalOracle['header']>;
        this.keep(joined.subarray(nl + 1));
      }
      const sizes = this.header.blobs ?? [];
      const need = sizes.reduce((a, b) => a + b, 0);
      if (this.length < need) return;
      const joined = this.join();
      const blobs: Buffer[] = [];
      let at = 0;
      for (const n of sizes) {
        blobs.push(joined.subarray(at, at + n));
        at += n;
      }
      this.keep(Buffer.from(joined.subarray(need)));
      const h = this.header;
      this.header = null;
      const p = this.pending.shift()!;
      if (h.ok) p.resolve({ result: h.result, blobs });
      else p.reject(new Error(`GDAL: ${h.error}`));
    }
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.length)];
    return this.chunks[0] ?? Buffer.alloc(0);
  }

  private keep(rest: Buffer): void {
    this.chunks = rest.length > 0 ? [rest] : [];
    this.length = rest.length;
  }

  private ask(op: string, ...args: unknown[]): Promise<{ result: unknown; blobs: Buffer[] }> {
    if (this.ended) return Promise.reject(this.ended);
    if (this.pending.length === 0) this.hold(true);
    return new Promise<{ result: unknown; blobs: Buffer[] }>((resolve, reject) => {
      this.pending.push({ resolve, reject });
      this.child.stdin.write(`${JSON.stringify({ op, args })}\n`);
    }).finally(() => {
      if (this.pending.length === 0) this.hold(false);
    });
  }

  /** An idle oracle does not keep the test process alive (the shared one is never closed); a busy one does. */
  private hold(busy: boolean): void {
    // The pipes are sockets (ref/unref), typed as plain streams.
    for (const h of [this.child, this.child.stdin, this.child.stdout] as unknown as { ref(): void; unref(): void }[]) {
      if (busy) h.ref();
      else h.unref();
    }
  }

  /** `gdalinfo -json [extra] file`. */
  async info(file: string, extra: string[] = []): Promise<GdalInfo> {
    return (await this.ask('info', file, extra)).result as GdalInfo;
  }

  /** `gdalwarp args src dst` (the arguments as on its command line, without the file names). */
  async warp(src: string, dst: string, args: string[]): Promise<void> {
    await this.ask('warp', src, dst, args);
  }

  /** As gdalPixelsBatch: each read's pixels, pixel-interleaved, native type, little endian. */
  async pixels(reads: GdalRead[]): Promise<Buffer[]> {
    return (await this.ask('pixels', readSpecs(reads))).blobs;
  }

  /** As gdalPixels: one read. */
  async pixelsOf(file: string, opts: Omit<GdalRead, 'file'> = {}): Promise<Buffer> {
    return (await this.pixels([{ file, ...opts }]))[0]!;
  }

  /** As gdalValidStatistics. */
  async validStatistics(file: string, level = 0): Promise<GdalBandStatistics[]> {
    return (await this.ask('stats', file, level)).result as GdalBandStatistics[];
  }

  /** As validateCog: GDAL's COG validator's errors and warnings. */
  async validateCog(file: string): Promise<{ errors: string[]; warnings: string[] }> {
    return (await this.ask('validate', file)).result as { errors: string[]; warnings: string[] };
  }

  /** Ends the process (stdin closed) and waits for it. */
  async close(): Promise<void> {
    if (this.ended) return;
    const closed = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    this.hold(true);
    this.child.stdin.end();
    await closed;
  }
}

let shared: GdalOracle | undefined;

/** The test file's one oracle, started on first use; it ends with the test process. */
export function gdalOracle(): GdalOracle {
  shared ??= new GdalOracle();
  return shared;
}
