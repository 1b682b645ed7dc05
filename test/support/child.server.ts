/** A geopera server in a child process (as an operator runs it), for crash and shutdown tests. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from './gdal.js';

export interface ChildServer {
  url: string;
  child: ChildProcessWithoutNullStreams;
  exited: Promise<number | null>;
  /** Everything the server printed on stdout so far (its log lines, JSON) */
  output(): string;
}

/** Start `geopera serve` on a free port: from the sources through tsx (like `npm start`), or the built dist/. */
export async function startChildServer(env: Record<string, string>, opts: { built?: boolean; wrap?: string[] } = {}): Promise<ChildServer> {
  const fromSource = !opts.built;
  // `wrap`: a command that execs the server (e.g. `prlimit --fsize=N --`), so the child's pid stays the server's.
  const [cmd, ...args] = [...(opts.wrap ?? []), process.execPath, path.join(repoRoot, 'bin/geopera.js'), 'serve'];
  const child = spawn(cmd!, args, {
    env: { ...process.env, GEOPERA_FROM_SOURCE: fromSource ? '1' : '', GEOPERA_PORT: '0', GEOPERA_LOG_LEVEL: 'warn', GEOPERA_RATE_ORG: '0', GEOPERA_RATE_SPEND: '0', GEOPERA_RATE_ANON: '0', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let err = '';
  child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`server exited ${code}: ${out}\n${err}`)));
  });
  return { url, child, exited, output: () => out };
}
