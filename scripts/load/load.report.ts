/**
 * What the load run prints: every 10 s the server's RSS, the event-loop delay seen from outside (a
 * probe request, `GET /v1/op`, every 100 ms on its own connection: its latency is the time the loop
 * took to get to it, see load.probe.ts) and the jobs finished; at the end requests/s, p50/p99 and statuses per kind.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type autocannon from 'autocannon';
import { rssMb } from './load.server.js';

/** One 10-second sample. */
export interface Sample {
  atS: number;
  rssMb: number | undefined;
  probeP50Ms: number;
  probeP99Ms: number;
  probeMaxMs: number;
  completed: number;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Probe the server's event loop (load.probe.ts in a child process) and sample RSS every `windowMs`; `stop()` ends both. */
export function startSampler(url: string, pid: number | undefined, completedJobs: () => Promise<number>, onSample: (s: Sample) => void, windowMs = 10_000): { stop: () => Promise<Sample[]> } {
  const probe = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./load.probe.ts', import.meta.url)), url, '100'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => probe.once('exit', () => resolve()));
  const samples: Sample[] = [];
  let window: number[] = [];
  let partial = '';
  probe.stdout.setEncoding('utf8');
  probe.stdout.on('data', (d: string) => {
    const lines = (partial + d).split('\n');
    partial = lines.pop() ?? '';
    for (const l of lines) if (l) window.push(Number(l));
  });
  const t0 = performance.now();
  const take = async (): Promise<void> => {
    const sorted = window.sort((a, b) => a - b);
    window = [];
    const s: Sample = {
      atS: Math.round((performance.now() - t0) / 1000), rssMb: rssMb(pid), probeP50Ms: quantile(sorted, 0.5), probeP99Ms: quantile(sorted, 0.99),
      probeMaxMs: sorted.at(-1) ?? NaN, completed: await completedJobs().catch(() => NaN),
    };
    samples.push(s);
    onSample(s);
  };
  const timer = setInterval(() => void take(), windowMs);
  return {
    async stop() {
      clearInterval(timer);
      probe.kill();
      await exited;
      return samples;
    },
  };
}

const f1 = (n: number | undefined): string => (n === undefined || Number.isNaN(n) ? '-' : n.toFixed(1));

export function sampleLine(s: Sample): string {
  return `t=${String(s.atS).padStart(4)} s  rss ${f1(s.rssMb).padStart(6)} MB  loop delay (probe) p50 ${f1(s.probeP50Ms)} ms p99 ${f1(s.probeP99Ms)} ms max ${f1(s.probeMaxMs)} ms  jobs completed ${s.completed}`;
}

/** Per kind: requests, requests/s, p50/p99 latency (ms), and counts by status (errors: connection errors and timeouts). */
export function kindTable(results: Map<string, autocannon.Result>): string {
  const rows = [['kind', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'statuses', 'errors']];
  for (const [kind, r] of results) {
    const statuses = Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => `${code}:${v.count ?? 0}`).join(' ');
    rows.push([kind, String(r.requests.total), (r.requests.total / r.duration).toFixed(1), String(r.latency.p50), String(r.latency.p99), String(r.latency.max), statuses, `${r.errors} (${r.timeouts} timeouts)`]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ')).join('\n');
}

/** Responses by status over every kind. */
export function statusTotals(results: Map<string, autocannon.Result>): Map<number, number> {
  const out = new Map<number, number>();
  for (const r of results.values()) for (const [code, v] of Object.entries(r.statusCodeStats ?? {})) out.set(Number(code), (out.get(Number(code)) ?? 0) + (v.count ?? 0));
  return out;
}

/** RSS growth after warm-up: the mean of the last third of the samples against the mean of the samples after the first minute's. */
export function rssTrend(samples: Sample[]): { warmMb: number; lastMb: number; growthPct: number } | undefined {
  const rss = samples.map((s) => s.rssMb).filter((v): v is number => v !== undefined);
  if (rss.length < 6) return undefined;
  const warm = rss.slice(Math.min(6, Math.floor(rss.length / 3)));
  const first = warm.slice(0, Math.max(1, Math.floor(warm.length / 3)));
  const last = warm.slice(-Math.max(1, Math.floor(warm.length / 3)));
  const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
  return { warmMb: mean(first), lastMb: mean(last), growthPct: ((mean(last) - mean(first)) / mean(first)) * 100 };
}
