/**
 * The SQLite engine (better-sqlite3, used only inside src/storage): one connection, each SQL text compiled
 * once, transactions that hold other callers back until they end.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Dialect, PoolStats, SqlDb, SqlRunner, SqlValue, TxOptions } from '../sql.js';
import { migrateSqlite } from './sqlite.schema.js';

/** SQLite's side of the dialect. */
export const SqliteDialect: Dialect = {
  name: 'sqlite',
  seq: 'rowid',
  // BEGIN IMMEDIATE takes the write lock: a write transaction sees nothing change under it.
  forUpdate: '',
  claimJob: `UPDATE jobs SET status = 'running', stage = 'starting', progress = 0, attempts = attempts + 1, lease_owner = ?2, lease_expires_at = ?3,
      started_at = ?4, updated_at = ?4
    WHERE id = (SELECT id FROM jobs WHERE deleted_at IS NULL AND (status = 'queued' OR (status = 'running' AND lease_expires_at < ?1))
      ORDER BY created_at, rowid LIMIT 1)
    RETURNING id`,
  singleNode: true,
  isUniqueViolation: (err) => /^SQLITE_CONSTRAINT_(UNIQUE|PRIMARYKEY)$/.test((err as { code?: string } | null)?.code ?? ''),
  // AUTOINCREMENT takes given ids and continues past the largest.
  keepIds: '',
};

/** A compiled statement; `order` maps its `?` to the caller's values when the text numbers them (`?2`). */
interface Compiled {
  statement: Database.Statement;
  order: number[] | undefined;
}

export class SqliteDb implements SqlDb {
  readonly dialect = SqliteDialect;
  private readonly statements = new Map<string, Compiled>();
  /** Set while a transaction is open: statements from outside it wait (one connection serves everyone). */
  private gate: Promise<void> | undefined;
  /** The statements of the open transaction, past the gate. */
  private readonly inside: SqlRunner;
  /** Callers waiting at the gate now (for metrics) */
  private waiting = 0;

  constructor(readonly raw: Database.Database) {
    this.inside = {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => this.exec(sql, params, 'all') as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => this.exec(sql, params, 'get') as T | undefined,
      run: async (sql, params = []) => (this.exec(sql, params, 'run') as Database.RunResult).changes,
    };
  }

  /**
   * Compile each SQL text once: every tile request checks its key, and this makes the repeat a map lookup
   * instead of a parse and plan. The texts are the stores' own literals, so the cache stays small.
   */
  private compiled(sql: string): Compiled {
    let c = this.statements.get(sql);
    if (!c) {
      // better-sqlite3 binds `?` in order; a text that numbers them (`?1`, shared with PostgreSQL's `$1`) is rewritten.
      const numbered = /\?(\d+)/.test(sql);
      const order: number[] = [];
      const text = numbered ? sql.replace(/\?(\d+)/g, (_m, n: string) => { order.push(Number(n) - 1); return '?'; }) : sql;
      c = { statement: this.raw.prepare(text), order: numbered ? order : undefined };
      this.statements.set(sql, c);
    }
    return c;
  }

  /** The compiled statement of a SQL text. */
  statement(sql: string): Database.Statement {
    return this.compiled(sql).statement;
  }

  private exec(sql: string, params: readonly SqlValue[], how: 'all' | 'get' | 'run'): unknown {
    const { statement, order } = this.compiled(sql);
    const values = order ? order.map((i) => params[i]) : params;
    return statement[how](...values);
  }

  async all<T>(sql: string, params: readonly SqlValue[] = []): Promise<T[]> {
    while (this.gate) await this.pass();
    return this.exec(sql, params, 'all') as T[];
  }

  async get<T>(sql: string, params: readonly SqlValue[] = []): Promise<T | undefined> {
    while (this.gate) await this.pass();
    return this.exec(sql, params, 'get') as T | undefined;
  }

  async run(sql: string, params: readonly SqlValue[] = []): Promise<number> {
    while (this.gate) await this.pass();
    return (this.exec(sql, params, 'run') as Database.RunResult).changes;
  }

  /** Wait for the open transaction to end (counted as waiting meanwhile); callers look again, as another may have begun. */
  private async pass(): Promise<void> {
    this.waiting++;
    try {
      await this.gate;
    } finally {
      this.waiting--;
    }
  }

  async tx<T>(fn: (q: SqlRunner) => Promise<T>, _opts?: TxOptions): Promise<T> {
    while (this.gate) await this.pass();
    let open!: () => void;
    this.gate = new Promise<void>((resolve) => { open = resolve; });
    try {
      this.statement('BEGIN IMMEDIATE').run();
      try {
        const value = await fn(this.inside);
        this.statement('COMMIT').run();
        return value;
      } catch (err) {
        if (this.raw.inTransaction) this.statement('ROLLBACK').run();
        throw err;
      }
    } finally {
      this.gate = undefined;
      open();
    }
  }

  now(): number {
    return Date.now();
  }

  /** One connection: busy while a transaction is open; callers waiting for it are `waiting`. */
  poolStats(): PoolStats {
    return { max: 1, total: 1, idle: this.gate ? 0 : 1, waiting: this.waiting };
  }

  async close(): Promise<void> {
    while (this.gate) await this.gate;
    this.raw.close();
  }
}

/** Open (creating when needed) and migrate a database file; `:memory:` for tests. */
export function openSqlite(file: string): SqliteDb {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrateSqlite(db);
  return new SqliteDb(db);
}
