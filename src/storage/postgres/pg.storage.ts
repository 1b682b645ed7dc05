/** PostgreSQL storage: shared by any number of nodes; rate windows in a table, job notices by LISTEN/NOTIFY. */
import type { Logger } from '../../log.js';
import { TableRateCounter } from '../rate.counter.js';
import { SqlStorage } from '../sql.storage.js';
import { PgDb } from './pg.db.js';
import { PgNotices } from './pg.notices.js';
import { migratePostgres } from './pg.schema.js';

/** Connect, migrate (once, under a lock, whichever node is first) and measure the database's clock. */
export async function openPostgresStorage(url: string, opts: { poolSize: number; log?: Logger | undefined }): Promise<SqlStorage> {
  const db = new PgDb(url, opts.poolSize, opts.log);
  try {
    await migratePostgres(db.pool);
    await db.syncClock();
  } catch (err) {
    await db.close();
    throw err;
  }
  db.startClock();
  const notices = new PgNotices(url, db.pool, opts.log);
  return new SqlStorage(db, new TableRateCounter(db), notices, () => notices.close());
}
