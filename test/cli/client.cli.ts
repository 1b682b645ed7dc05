/** Spawn `geopera` (from source) as a user would, without blocking the event loop the test server runs on. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../support/gdal.js';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout as bytes (for binary output) */
  bytes: Buffer;
}

export function runCli(args: string[], opts: { env?: Record<string, string | undefined>; input?: string | Buffer; timeoutMs?: number } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string | undefined> = { ...process.env, GEOPERA_FROM_SOURCE: '1', ...opts.env };
    for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin/geopera.js'), ...args], { env: env as NodeJS.ProcessEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      const bytes = Buffer.concat(out);
      resolve({ status, stdout: bytes.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), bytes });
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** Parse NDJSON output into records. */
export function ndjson(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.trim()).map((l) => JSON.parse(l) as Record<string, unknown>);
}
