import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openDb } from '../../src/storage/db.js';

describe('the SQLite connection', () => {
  it('compiles each SQL text once and reuses the statement', () => {
    const db = openDb(':memory:');
    const a = db.prepare('SELECT count(*) AS n FROM api_keys');
    assert.equal(db.prepare('SELECT count(*) AS n FROM api_keys'), a);
    assert.notEqual(db.prepare('SELECT count(*) AS n FROM jobs'), a);
    db.close();
  });

  it('reused statements see later writes and bind fresh parameters', () => {
    const db = openDb(':memory:');
    const insert = "INSERT INTO organizations (id, name, credit_limit_km2, egress_limit_bytes, created_at) VALUES (?, ?, NULL, NULL, '2026-01-01T00:00:00.000Z')";
    const byId = 'SELECT name FROM organizations WHERE id = ?';
    assert.equal(db.prepare(byId).get('a'), undefined);
    db.prepare(insert).run('a', 'Org A');
    db.prepare(insert).run('b', 'Org B');
    assert.deepEqual(db.prepare(byId).get('a'), { name: 'Org A' });
    assert.deepEqual(db.prepare(byId).get('b'), { name: 'Org B' });
    db.close();
  });
});
