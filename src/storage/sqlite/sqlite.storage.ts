/** SQLite storage: the file in the data directory, rate windows in memory, no other node to notify. */
import { NoNotices } from '../job.notices.js';
import { MemoryRateCounter } from '../rate.counter.js';
import { SqlStorage } from '../sql.storage.js';
import { openSqlite } from './sqlite.db.js';

/** Open (creating and migrating when needed) a database file, or `:memory:`. */
export function openSqliteStorage(file: string): SqlStorage {
  // One process owns a SQLite database, so its rate windows need not be shared: memory is the fast path.
  return new SqlStorage(openSqlite(file), new MemoryRateCounter(), NoNotices);
}
