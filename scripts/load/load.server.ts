/**
 * The server under load: `geopera serve` from dist/ in a child process over a temp data directory
 * (the sample area and STAC item linked in, a bootstrap key), or a server already running elsewhere.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateApiKey } from '../../src/auth/api.key.js';
import { repoRoot } from '../bench/bench.util.js';

/** A server to load: its URL and key, and (when this script started it) its process and data directory. */
export interface LoadTarget {
  url: string;
  key: string;
  org: string;
  /** Process id, for RSS (undefined: not known) */
  pid: number | undefined;
  /** Data directory, for the ledger and file checks (undefined: a server started elsewhere) */
  dataDir: string | undefined;
  stop(): Promise<void>;
}

/** Start `geopera serve` (built) with rate limits off: the load measures the server, not the limiter. */
export async function startLoadServer(env: Record<string, string> = {}): Promise<LoadTarget> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'geopera-load-'));
  await symlink(path.join(repoRoot, 'data/areas'), path.join(dataDir, 'areas'));
  await mkdir(path.join(dataDir, 'catalog'));
  await symlink(path.join(repoRoot, 'data/catalog/items'), path.join(dataDir, 'catalog/items'));
  const key = generateApiKey();
  const child: ChildProcess = spawn(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), 'serve'], {
    env: {
      ...process.env, GEOPERA_FROM_SOURCE: '', GEOPERA_DATA_DIR: dataDir, GEOPERA_PORT: '0', GEOPERA_BOOTSTRAP_KEY: key, GEOPERA_LOG_LEVEL: 'warn',
      GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0', GEOPERA_RATE_ANON: '0', GEOPERA_LINK_TTL_S: '86400', ...env,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const lines = out.split('\n');
      out = lines.pop() ?? '';
      for (const line of lines) {
        const m = /listening on (http:\/\/\S+)/.exec(line);
        if (m) resolve(m[1]!);
        else if (line.trim()) process.stderr.write(`server: ${line}\n`); // its warnings and errors (GEOPERA_LOG_LEVEL=warn)
      }
    });
    void exited.then(() => reject(new Error(`server exited before listening: ${out}`)));
  });
  return {
    url, key, org: 'default', pid: child.pid, dataDir,
    async stop() {
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A server started elsewhere (`--url`, `--key`, optional `--pid`, `--org`). */
export function externalTarget(url: string, key: string, org: string, pid: number | undefined): LoadTarget {
  return { url: url.replace(/\/+$/, ''), key, org, pid, dataDir: undefined, stop: async () => undefined };
}

/** Resident set size of a process in MB (from /proc; undefined when unknown). */
export function rssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}
