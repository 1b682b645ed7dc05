/**
 * Copy every table of one database into another (moving up: a single node's SQLite into PostgreSQL),
 * idempotently (rows already there, by primary key, are kept), keeping ids, then verify each table: the
 * same number of rows and the same checksum of their contents on both sides. Rate windows are not copied
 * (they are a minute long). Stop the server that uses the source first: a job running there would be
 * copied as running, under a lease its node no longer renews (another node then takes it over).
 */
import { createHash } from 'node:crypto';
import type { SqlDb, SqlValue } from './sql.js';
import type { Storage } from './storage.js';
import type { SqlStorage } from './sql.storage.js';

/** The tables, in the order their references need, with their primary keys. */
const Tables: { name: string; key: string[]; numbered?: boolean }[] = [
  { name: 'organizations', key: ['id'] },
  { name: 'api_keys', key: ['id'] },
  { name: 'session_tokens', key: ['id'] },
  { name: 'jobs', key: ['id'] },
  { name: 'job_outputs', key: ['job_id', 'output_key'] },
  { name: 'idempotency_records', key: ['org_id', 'key'] },
  { name: 'credit_ledger', key: ['id'], numbered: true },
  { name: 'egress_ledger', key: ['id'], numbered: true },
  { name: 'settings', key: ['name'] },
  { name: 'event_sequences', key: ['org_id'] },
  { name: 'job_events', key: ['id'] },
  { name: 'webhook_endpoints', key: ['id'] },
  { name: 'webhook_deliveries', key: ['id'], numbered: true },
  { name: 'webhook_attempts', key: ['id'], numbered: true },
];
/** Rows a batch */
const Batch = 200;

/** What the copy found and did for one table. */
export interface TableCopy {
  table: string;
  /** Rows in the source */
  source: number;
  /** Rows the copy added (0 when run again) */
  copied: number;
  /** Rows in the target afterwards */
  target: number;
  /** Whether both sides hold the same rows (sha256 of every row's values in key order) */
  same: boolean;
}

/** Every row of a table (SQLite's in insertion order, which the copy keeps), without engine-only columns (`seq`). */
async function rows(db: SqlDb, table: string, key: string[]): Promise<Record<string, SqlValue>[]> {
  const all = await db.all<Record<string, SqlValue>>(`SELECT * FROM ${table} ORDER BY ${db.dialect.name === 'sqlite' ? 'rowid' : key.join(', ')}`);
  for (const r of all) delete r.seq;
  return all;
}

/** sha256 of the rows' values, in key order (compared as text here: the engines' collations differ). */
function checksum(all: Record<string, SqlValue>[], key: string[]): string {
  const keyOf = (r: Record<string, SqlValue>): string => JSON.stringify(key.map((k) => r[k]));
  const sorted = all.map((r) => [keyOf(r), r] as const).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const h = createHash('sha256');
  for (const [, r] of sorted) {
    for (const k of Object.keys(r).sort()) {
      const v = r[k];
      h.update(`${k}=${Buffer.isBuffer(v) ? `b:${v.toString('base64')}` : JSON.stringify(v ?? null)}\n`);
    }
  }
  return h.digest('hex');
}

/** Copy `from` into `to` and verify; safe to run again (it copies what is missing and verifies again). */
export async function copyStorage(from: Storage, to: Storage): Promise<TableCopy[]> {
  const src = (from as SqlStorage).sql;
  const dst = (to as SqlStorage).sql;
  const report: TableCopy[] = [];
  for (const { name, key, numbered } of Tables) {
    const all = await rows(src, name, key);
    let copied = 0;
    for (let i = 0; i < all.length; i += Batch) {
      const batch = all.slice(i, i + Batch);
      const columns = Object.keys(batch[0]!);
      const values = batch.map(() => `(${columns.map(() => '?').join(', ')})`).join(', ');
      copied += await dst.tx(async (q) => q.run(
        `INSERT INTO ${name} (${columns.join(', ')})${dst.dialect.keepIds} VALUES ${values} ON CONFLICT (${key.join(', ')}) DO NOTHING`,
        batch.flatMap((r) => columns.map((c) => r[c] ?? null)),
      ));
    }
    if (numbered && dst.dialect.afterIdsKept) await dst.run(dst.dialect.afterIdsKept(name));
    const there = await rows(dst, name, key);
    report.push({ table: name, source: all.length, copied, target: there.length, same: there.length === all.length && checksum(there, key) === checksum(all, key) });
  }
  return report;
}
