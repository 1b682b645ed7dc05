/**
 * The PostgreSQL engine (node-postgres, used only inside src/storage): a pool of connections, each SQL
 * text a named prepared statement (parsed and planned once per connection), `?` placeholders turned into
 * `$n`, 64-bit integers and sums read as numbers, and a clock that follows the database's.
 */
import pg from 'pg';
import type { Logger } from '../../log.js';
import type { Dialect, PoolStats, SqlDb, SqlRunner, SqlValue, TxOptions } from '../sql.js';

/** PostgreSQL's side of the dialect. */
export const PostgresDialect: Dialect = {
  name: 'postgres',
  seq: 'seq',
  forUpdate: ' FOR UPDATE',
  // The classic queue claim: the oldest runnable row no other transaction holds, locked and updated at once.
  claimJob: `UPDATE jobs SET status = 'running', stage = 'starting', progress = 0, attempts = attempts + 1, lease_owner = $2, lease_expires_at = $3,
      started_at = $4, updated_at = $4
    WHERE id = (SELECT id FROM jobs WHERE deleted_at IS NULL AND (status = 'queued' OR (status = 'running' AND lease_expires_at < $1))
      ORDER BY created_at, seq LIMIT 1 FOR UPDATE SKIP LOCKED)
    RETURNING id`,
  singleNode: false,
  isUniqueViolation: (err) => (err as { code?: string } | null)?.code === '23505',
  keepIds: ' OVERRIDING SYSTEM VALUE',
  afterIdsKept: (table) => `SELECT setval(pg_get_serial_sequence('${table}', 'id'), coalesce(max(id), 0) + 1, false) FROM ${table}`,
};

/** bigint (20) and numeric (1700, what sum() of bigints answers) as JS numbers: counts, bytes and ms fit in 2^53. */
const toNumber = (value: string): number => Number(value);
const types: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? toNumber : pg.types.getTypeParser(oid, format) as unknown)) as pg.CustomTypesConfig['getTypeParser'],
};

/** How often a node re-measures its clock against the database's, ms. */
const ClockEveryMs = 60_000;

export class PgDb implements SqlDb {
  readonly dialect = PostgresDialect;
  readonly pool: pg.Pool;
  private readonly queries = new Map<string, { name: string; text: string }>();
  /** Database clock minus this process's clock, ms */
  private offsetMs = 0;
  private clockTimer: NodeJS.Timeout | undefined;
  private readonly direct: SqlRunner;

  constructor(url: string, private readonly poolSize: number, private readonly log?: Logger) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, types, idleTimeoutMillis: 30_000 });
    this.direct = this.runnerOf(this.pool);
    // An idle connection that breaks (the server restarted) is dropped from the pool; the next query opens another.
    this.pool.on('error', (err) => this.log?.warn({ err }, 'Database:ConnectionLost'));
  }

  /** A statement's prepared form: `?` → `$1…`, `?2` → `$2`, one name per text. */
  private query(sql: string, values: readonly SqlValue[]): pg.QueryConfig<SqlValue[]> {
    let q = this.queries.get(sql);
    if (!q) {
      let n = 0;
      const text = sql.replace(/\?(\d*)/g, (_m, digits: string) => `$${digits || ++n}`);
      q = { name: `g${this.queries.size + 1}`, text };
      this.queries.set(sql, q);
    }
    return { name: q.name, text: q.text, values: values as SqlValue[] };
  }

  private runnerOf(c: pg.Pool | pg.PoolClient): SqlRunner {
    return {
      all: async <T>(sql: string, params: readonly SqlValue[] = []) => (await c.query(this.query(sql, params))).rows as T[],
      get: async <T>(sql: string, params: readonly SqlValue[] = []) => (await c.query(this.query(sql, params))).rows[0] as T | undefined,
      run: async (sql, params = []) => (await c.query(this.query(sql, params))).rowCount ?? 0,
    };
  }

  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]> { return this.direct.all<T>(sql, params); }
  get<T>(sql: string, params?: readonly SqlValue[]): Promise<T | undefined> { return this.direct.get<T>(sql, params); }
  run(sql: string, params?: readonly SqlValue[]): Promise<number> { return this.direct.run(sql, params); }

  async tx<T>(fn: (q: SqlRunner) => Promise<T>, opts?: TxOptions): Promise<T> {
    const c = await this.pool.connect();
    let broken: Error | undefined;
    try {
      await c.query('BEGIN');
      if (opts?.lock) await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [opts.lock]);
      const value = await fn(this.runnerOf(c));
      await c.query('COMMIT');
      return value;
    } catch (err) {
      await c.query('ROLLBACK').catch((e: Error) => { broken = e; });
      throw err;
    } finally {
      c.release(broken);
    }
  }

  /** Measure the offset of the database's clock (half the round trip is the error). */
  async syncClock(): Promise<void> {
    const before = Date.now();
    const row = (await this.pool.query<{ now: number }>('SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS now')).rows[0]!;
    const after = Date.now();
    this.offsetMs = Math.round(row.now - (before + after) / 2);
  }

  /** Keep the clock offset fresh while the pool is open. */
  startClock(): void {
    this.clockTimer = setInterval(() => {
      this.syncClock().catch((err: unknown) => this.log?.warn({ err }, 'Database:ClockFailed'));
    }, ClockEveryMs);
    this.clockTimer.unref();
  }

  now(): number {
    return Date.now() + this.offsetMs;
  }

  poolStats(): PoolStats {
    return { max: this.poolSize, total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  async close(): Promise<void> {
    if (this.clockTimer) clearInterval(this.clockTimer);
    await this.pool.end();
  }
}
