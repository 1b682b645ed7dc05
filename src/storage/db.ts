/**
 * The one SQLite connection. better-sqlite3 is used only inside src/storage.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { migrations } from './migrations.js';

export type Db = Database.Database;

/** Open (creating when needed) and migrate a database; `:memory:` for tests. */
export function openDb(file: string): Db {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  migrate(db);
  return withStatementCache(db);
}

/**
 * Compile each SQL text once: stores call `db.prepare(sql)` where they use it, and this makes the
 * repeat calls (every tile request checks its key) a map lookup instead of a parse and plan. The
 * texts are the stores' own literals, so the cache stays small; no store toggles a statement's modes.
 */
function withStatementCache(db: Db): Db {
  const compile = db.prepare.bind(db);
  const statements = new Map<string, Database.Statement>();
  db.prepare = ((sql: string) => {
    let s = statements.get(sql);
    if (!s) {
      s = compile(sql);
      statements.set(sql, s);
    }
    return s;
  }) as Db['prepare'];
  return db;
}

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < migrations.length; v++) {
    db.transaction(() => {
      db.exec(migrations[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** ISO 8601 timestamp (UTC, ms). */
export function nowIso(now = Date.now()): string {
  return new Date(now).toISOString();
}
