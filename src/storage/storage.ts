/**
 * The storage layer: one asynchronous repository over SQLite (one node; the default, a file in the
 * data directory) or PostgreSQL (`GEOPERA_DATABASE_URL`, any number of nodes). Nothing above this folder
 * knows which engine is live: both run the same stores (this folder) over the `SqlDb` port (`sql.ts`),
 * each engine adding its dialect, schema, rate counters and job notices (`sqlite/`, `postgres/`).
 */
import path from 'node:path';
import type { Logger } from '../log.js';
import type { IdempotencyStore } from './idempotency.store.js';
import type { JobNotices } from './job.notices.js';
import type { JobStore } from './job.store.js';
import type { KeyStore } from './key.store.js';
import type { LedgerStore } from './ledger.store.js';
import type { OrgStore } from './org.store.js';
import type { RateCounter } from './rate.counter.js';
import type { SettingsStore } from './settings.store.js';
import type { PoolStats } from './sql.js';
import { openSqliteStorage } from './sqlite/sqlite.storage.js';
import type { TokenStore } from './token.store.js';

/** The repository: every table of the service, behind async stores. */
export interface Storage {
  /** Which engine is live (for logs and health; nothing decides on it) */
  readonly backend: 'sqlite' | 'postgres';
  readonly orgs: OrgStore;
  readonly keys: KeyStore;
  readonly tokens: TokenStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  readonly idempotency: IdempotencyStore;
  readonly ledger: LedgerStore;
  /** Rate-limit windows (shared by every node of a PostgreSQL database) */
  readonly rates: RateCounter;
  /** Job notices between nodes */
  readonly notices: JobNotices;
  /** Whether the database answers. */
  ping(): Promise<boolean>;
  /** The database pool's connections now (read from memory, for metrics). */
  poolStats(): PoolStats;
  /** Drop expired idempotency records, long-expired session tokens and ended rate windows. */
  sweep(): Promise<void>;
  close(): Promise<void>;
}

export interface StorageOptions {
  /** The data directory (its `geopera.db`), or `:memory:` (tests) */
  dataDir: string;
  /** `postgres://…`: PostgreSQL instead of SQLite */
  databaseUrl?: string | undefined;
  /** Most PostgreSQL connections this process opens */
  poolSize?: number;
  log?: Logger;
}

/** Open (and migrate) the configured database. */
export async function openStorage(opts: StorageOptions): Promise<Storage> {
  if (opts.databaseUrl) {
    // Loaded only when used: a single SQLite node never loads the PostgreSQL driver.
    const { openPostgresStorage } = await import('./postgres/pg.storage.js');
    return openPostgresStorage(opts.databaseUrl, { poolSize: opts.poolSize ?? 10, log: opts.log });
  }
  return openSqliteStorage(opts.dataDir === ':memory:' ? ':memory:' : path.join(opts.dataDir, 'geopera.db'));
}
