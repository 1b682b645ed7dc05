/** The stores over one engine (SQLite or PostgreSQL): the `Storage` both engines answer with. */
import { IdempotencyStore } from './idempotency.store.js';
import type { JobNotices } from './job.notices.js';
import { JobStore } from './job.store.js';
import { KeyStore } from './key.store.js';
import { LedgerStore } from './ledger.store.js';
import { OrgStore } from './org.store.js';
import { RateWindowMs, type RateCounter } from './rate.counter.js';
import { SettingsStore } from './settings.store.js';
import type { PoolStats, SqlDb } from './sql.js';
import type { Storage } from './storage.js';
import { TokenStore } from './token.store.js';

export class SqlStorage implements Storage {
  readonly backend: 'sqlite' | 'postgres';
  readonly orgs: OrgStore;
  readonly keys: KeyStore;
  readonly tokens: TokenStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  readonly idempotency: IdempotencyStore;
  readonly ledger: LedgerStore;

  constructor(readonly sql: SqlDb, readonly rates: RateCounter, readonly notices: JobNotices, private readonly onClose: () => Promise<void> = async () => {}) {
    this.backend = sql.dialect.name;
    this.orgs = new OrgStore(sql);
    this.keys = new KeyStore(sql, this.orgs);
    this.tokens = new TokenStore(sql);
    this.settings = new SettingsStore(sql);
    this.idempotency = new IdempotencyStore(sql);
    this.ledger = new LedgerStore(sql, this.orgs);
    this.jobs = new JobStore(sql, this.orgs, this.ledger, this.idempotency);
  }

  async ping(): Promise<boolean> {
    return (await this.sql.get<{ ok: number }>('SELECT 1 AS ok'))?.ok === 1;
  }

  poolStats(): PoolStats {
    return this.sql.poolStats();
  }

  async sweep(): Promise<void> {
    await this.idempotency.sweep();
    await this.tokens.sweep();
    await this.rates.sweep(RateWindowMs);
  }

  async close(): Promise<void> {
    await this.onClose();
    await this.sql.close();
  }
}

