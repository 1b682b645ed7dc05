/** The storage layer: one connection, one store per table family. */
import path from 'node:path';
import { openDb, type Db } from './db.js';
import { JobStore } from './job.store.js';
import { KeyStore } from './key.store.js';
import { OrgStore } from './org.store.js';
import { SettingsStore } from './settings.store.js';
import { TokenStore } from './token.store.js';
import { IdempotencyStore } from './idempotency.store.js';
import { LedgerStore } from './ledger.store.js';

export class Storage {
  readonly orgs: OrgStore;
  readonly keys: KeyStore;
  readonly tokens: TokenStore;
  readonly jobs: JobStore;
  readonly settings: SettingsStore;
  readonly idempotency: IdempotencyStore;
  readonly ledger: LedgerStore;

  constructor(readonly db: Db) {
    this.orgs = new OrgStore(db);
    this.keys = new KeyStore(db);
    this.tokens = new TokenStore(db);
    this.jobs = new JobStore(db);
    this.settings = new SettingsStore(db);
    this.idempotency = new IdempotencyStore(db);
    this.ledger = new LedgerStore(db);
  }

  /** The database of a data directory (`geopera.db`), or `:memory:`. */
  static open(dataDirOrMemory: string): Storage {
    return new Storage(openDb(dataDirOrMemory === ':memory:' ? ':memory:' : path.join(dataDirOrMemory, 'geopera.db')));
  }

  /** Whether the database answers. */
  ping(): boolean {
    return (this.db.prepare('SELECT 1 AS ok').get() as { ok: number }).ok === 1;
  }

  /** Run store calls in one transaction. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  close(): void {
    this.db.close();
  }
}
