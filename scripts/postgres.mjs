#!/usr/bin/env node
/**
 * A throwaway PostgreSQL for tests and benches: `initdb` in a temporary directory (as the `postgres` user
 * when run as root, since initdb refuses root), listening on a free loopback port with fsync off, trust
 * auth, and stopped (`pg_ctl stop -m immediate`) and removed afterwards.
 *
 *   import { startPostgres } from './postgres.mjs';  const pg = await startPostgres();  …  pg.stop();
 *   node scripts/postgres.mjs          starts one, prints its URL, stops it on Ctrl-C / SIGTERM
 *
 * Binaries: `$GEOPERA_PG_BIN` or the newest /usr/lib/postgresql/<version>/bin (Debian's `postgresql`).
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory holding initdb and pg_ctl, or undefined when PostgreSQL is not installed. */
export function postgresBin() {
  const candidates = [];
  if (process.env.GEOPERA_PG_BIN) candidates.push(process.env.GEOPERA_PG_BIN);
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    for (const v of readdirSync(root).sort((a, b) => Number(b) - Number(a))) candidates.push(path.join(root, v, 'bin'));
  }
  return candidates.find((dir) => existsSync(path.join(dir, 'initdb')) && existsSync(path.join(dir, 'pg_ctl')));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function userIds(name) {
  const u = spawnSync('id', ['-u', name], { encoding: 'utf8' });
  const g = spawnSync('id', ['-g', name], { encoding: 'utf8' });
  if (u.status !== 0 || g.status !== 0) throw new Error(`running as root, but there is no "${name}" user for initdb`);
  return { uid: Number(u.stdout.trim()), gid: Number(g.stdout.trim()) };
}

/**
 * Start a server. Resolves with `{ url, dir, stop() }`: `url` reaches the `postgres` database as the
 * `postgres` superuser without a password (trust on loopback).
 */
export async function startPostgres({ maxConnections = 300 } = {}) {
  const bin = postgresBin();
  if (!bin) throw new Error('PostgreSQL is not installed (apt-get install postgresql)');
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geopera-pg-'));
  const data = path.join(dir, 'data');
  if (asRoot) {
    const { uid, gid } = userIds('postgres');
    chownSync(dir, uid, gid);
    chmodSync(dir, 0o700);
  }
  const run = (cmd, args) => {
    const full = asRoot ? ['runuser', ['-u', 'postgres', '--', path.join(bin, cmd), ...args]] : [path.join(bin, cmd), args];
    const r = spawnSync(full[0], full[1], { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  run('initdb', ['-D', data, '--auth=trust', '--no-sync', '-U', 'postgres', '-E', 'UTF8', '--locale=C']);
  const port = await freePort();
  const options = [
    '-c listen_addresses=127.0.0.1', `-p ${port}`, `-c unix_socket_directories=${dir}`,
    '-c fsync=off', '-c synchronous_commit=off', '-c full_page_writes=off', `-c max_connections=${maxConnections}`,
  ].join(' ');
  run('pg_ctl', ['-D', data, '-w', '-l', path.join(dir, 'server.log'), '-o', options, 'start']);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    // Always pg_ctl stop: a server left running keeps its shared memory segment and breaks later starts.
    try { run('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', stop);
  return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, dir, stop };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const pg = await startPostgres();
  process.stdout.write(`${pg.url}\n`);
  const end = () => { pg.stop(); process.exit(0); };
  process.on('SIGINT', end);
  process.on('SIGTERM', end);
  setInterval(() => {}, 1 << 30);
}
