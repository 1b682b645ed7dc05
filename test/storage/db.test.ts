import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openSqlite } from '../../src/storage/sqlite/sqlite.db.js';

describe('the SQLite connection', () => {
  it('compiles each SQL text once and reuses the statement', async () => {
    const db = openSqlite(':memory:');
    const a = db.statement('SELECT count(*) AS n FROM api_keys');
    assert.equal(db.statement('SELECT count(*) AS n FROM api_keys'), a);
    assert.notEqual(db.statement('SELECT count(*) AS n FROM jobs'), a);
    await db.close();
  });

  it('reused statements see later writes and bind fresh parameters', async () => {
    const db = openSqlite(':memory:');
    const insert = "INSERT INTO organizations (id, name, credit_limit_km2, egress_limit_bytes, created_at) VALUES (?, ?, NULL, NULL, '2026-01-01T00:00:00.000Z')";
    const byId = 'SELECT name FROM organizations WHERE id = ?';
    assert.equal(await db.get(byId, ['a']), undefined);
    await db.run(insert, ['a', 'Org A']);
    await db.run(insert, ['b', 'Org B']);
    assert.deepEqual(await db.get(byId, ['a']), { name: 'Org A' });
    assert.deepEqual(await db.get(byId, ['b']), { name: 'Org B' });
    await db.close();
  });

  it('holds other statements back while a transaction is open, so none lands inside it', async () => {
    const db = openSqlite(':memory:');
    const insert = "INSERT INTO organizations (id, name, credit_limit_km2, egress_limit_bytes, created_at) VALUES (?, ?, NULL, NULL, '2026-01-01T00:00:00.000Z')";
    let release!: () => void;
    const held = new Promise<void>((r) => { release = r; });
    const tx = db.tx(async (q) => {
      await q.run(insert, ['in-tx', 'x']);
      await held;
      throw new Error('roll back');
    });
    const outside = db.run(insert, ['outside', 'y']);
    release();
    await assert.rejects(tx, /roll back/);
    await outside;
    assert.deepEqual(await db.all('SELECT id FROM organizations ORDER BY id'), [{ id: 'outside' }]);
    await db.close();
  });
});
