/**
 * The database the service tests run on: SQLite (a file in each test's data directory) by default, or
 * PostgreSQL when `GEOPERA_TEST_DATABASE_URL` names a server (npm test's second pass starts a throwaway
 * one, scripts/postgres.mjs): then every test server gets a database of its own, dropped at its end.
 * The same tests run on both; only this file knows how to make a database.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { SqlDb } from '../../src/storage/sql.js';
import type { SqlStorage } from '../../src/storage/sql.storage.js';
import { openStorage, type Storage } from '../../src/storage/storage.js';

/** The PostgreSQL server of this run, or undefined (SQLite) */
export const testDatabaseUrl = process.env.GEOPERA_TEST_DATABASE_URL || undefined;
export const testBackend: 'sqlite' | 'postgres' = testDatabaseUrl ? 'postgres' : 'sqlite';

/** A fresh database for one server (or cluster): the GEOPERA_* variables that select it, and how to drop it. */
export interface TestDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

async function admin<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A new empty database on the run's PostgreSQL server; with SQLite, nothing (the data directory has its file). */
export async function freshDatabase(url = testDatabaseUrl): Promise<TestDatabase> {
  if (!url) return { env: {}, drop: async () => {} };
  const name = `geopera_t_${randomBytes(6).toString('hex')}`;
  await admin(url, (c) => c.query(`CREATE DATABASE ${name}`));
  const own = new URL(url);
  own.pathname = `/${name}`;
  return {
    env: { GEOPERA_DATABASE_URL: own.toString() },
    drop: () => admin(url, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  };
}

/** The storage a server started with `env` over `dataDir` uses, opened beside it (to look inside). */
export function openTestStorage(dataDir: string, env: Record<string, string>): Promise<Storage> {
  return openStorage({ dataDir, databaseUrl: env.GEOPERA_DATABASE_URL, poolSize: 4 });
}

/** The SQL port under a storage, for the few states no operation makes (an expired session token). */
export function sqlOf(storage: Storage): SqlDb {
  return (storage as SqlStorage).sql;
}
