/**
 * The port both database engines implement (SQLite in `sqlite/`, PostgreSQL in `postgres/`): SQL texts
 * with `?` placeholders, rows as plain objects, transactions, and the few places where the two dialects
 * differ. The stores beside this file are written once against it.
 */

/** A value bound to a `?` placeholder. */
export type SqlValue = string | number | null | Buffer;

/** Runs statements; inside a transaction, on that transaction's connection. */
export interface SqlRunner {
  /** Every row a statement answers. */
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** The first row a statement answers, or undefined. */
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined>;
  /** Run a statement; answers the number of rows it changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
}

export interface TxOptions {
  /**
   * Serialize this transaction against every other one taking the same lock name, on every node
   * (PostgreSQL: a transaction-scoped advisory lock; SQLite's write transactions are serial already).
   */
  lock?: string;
}

/** Where the two dialects differ, as SQL fragments and whole statements. */
export interface Dialect {
  name: 'sqlite' | 'postgres';
  /** Column that orders rows of equal `created_at` by insertion (`rowid` / an identity column `seq`) */
  seq: string;
  /** Suffix of a SELECT that locks the rows it reads until commit ('' where write transactions are serial) */
  forUpdate: string;
  /**
   * Claim the oldest runnable job (queued, or running with an expired lease) as one statement answering
   * the claimed row's id, or no row. Parameters: now (ms), lease owner, lease end (ms), now (ISO 8601).
   */
  claimJob: string;
  /** True when one process owns the database: every job still running when a node starts was its own. */
  singleNode: boolean;
  /** Whether an error is a unique or primary key violation. */
  isUniqueViolation(err: unknown): boolean;
  /** Between an INSERT's columns and VALUES: insert given ids into identity columns (copying a database) */
  keepIds: string;
  /** After ids were inserted into a table's `id` identity column: the statement that moves its counter past them */
  afterIdsKept?: (table: string) => string;
}

/** Connections of a database pool now (SQLite: its one connection). */
export interface PoolStats {
  /** Most connections the pool opens */
  max: number;
  /** Connections open */
  total: number;
  /** Open connections not in use */
  idle: number;
  /** Callers waiting for a connection */
  waiting: number;
}

/** A database connection (SQLite) or pool (PostgreSQL). */
export interface SqlDb extends SqlRunner {
  readonly dialect: Dialect;
  /** Run `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  tx<T>(fn: (q: SqlRunner) => Promise<T>, opts?: TxOptions): Promise<T>;
  /** Milliseconds since the epoch by the database's clock (leases and rate windows agree across nodes). */
  now(): number;
  /** The pool's connections now (cheap: read from memory). */
  poolStats(): PoolStats;
  close(): Promise<void>;
}

/** ISO 8601 timestamp (UTC, ms). */
export function nowIso(now = Date.now()): string {
  return new Date(now).toISOString();
}

/** `?, ?, ?` for `n` values. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}
