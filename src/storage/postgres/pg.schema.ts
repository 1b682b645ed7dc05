/**
 * PostgreSQL's schema migrations: the same tables and columns as SQLite's (sqlite/sqlite.schema.ts), in
 * PostgreSQL's types, plus `seq` identity columns where SQLite orders ties by rowid. They run once, under
 * a session advisory lock, whichever node starts first; `geopera_schema` records the versions applied.
 */
import type pg from 'pg';

export const migrations: readonly string[] = [
  /* 1: the schema of SQLite's migrations 1 and 2 */ `
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credit_limit_km2 DOUBLE PRECISION,   -- NULL: unlimited
    egress_limit_bytes BIGINT,           -- NULL: unlimited
    created_at TEXT NOT NULL,            -- ISO 8601, as on SQLite
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT,
    scopes TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    hint TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT,
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE TABLE session_tokens (
    id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES api_keys(id),
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    expires_at BIGINT NOT NULL,          -- unix ms
    created_at TEXT NOT NULL,
    revoked_at TEXT
  );
  CREATE INDEX session_tokens_key ON session_tokens(key_id);
  CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    key_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('area', 'item')),
    area TEXT,
    source_item_id TEXT,
    outputs_requested TEXT NOT NULL,
    aoi TEXT NOT NULL,
    aoi_name TEXT,
    project_id TEXT,
    output_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    stage TEXT,
    progress DOUBLE PRECISION NOT NULL DEFAULT 0,
    cost_km2 DOUBLE PRECISION NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at BIGINT,             -- unix ms
    render_defaults TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    deleted_at TEXT,
    idempotency_key TEXT,
    seq BIGINT GENERATED ALWAYS AS IDENTITY
  );
  CREATE INDEX jobs_org_created ON jobs(org_id, created_at DESC);
  CREATE INDEX jobs_queue ON jobs(status, created_at);
  CREATE INDEX jobs_runnable ON jobs(created_at, seq) WHERE deleted_at IS NULL AND status IN ('queued', 'running');
  CREATE UNIQUE INDEX jobs_idempotency ON jobs(org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  CREATE TABLE job_outputs (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    output_key TEXT NOT NULL,
    file_name TEXT NOT NULL,
    rel_path TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    info TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (job_id, output_key)
  );
  CREATE TABLE idempotency_records (
    org_id TEXT NOT NULL,
    key TEXT NOT NULL,
    operation TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('in_flight', 'done')),
    status INTEGER,
    content_type TEXT,
    body BYTEA,
    created_at BIGINT NOT NULL,          -- unix ms
    expires_at BIGINT NOT NULL,          -- unix ms
    token TEXT,
    PRIMARY KEY (org_id, key)
  );
  CREATE TABLE credit_ledger (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    job_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'hold', 'capture', 'release')),
    amount_km2 DOUBLE PRECISION NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX credit_ledger_org ON credit_ledger(org_id);
  CREATE INDEX credit_ledger_job ON credit_ledger(job_id);
  CREATE UNIQUE INDEX credit_ledger_one_hold ON credit_ledger(job_id) WHERE kind = 'hold';
  CREATE UNIQUE INDEX credit_ledger_one_settlement ON credit_ledger(job_id) WHERE kind IN ('capture', 'release');
  CREATE TABLE egress_ledger (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    job_id TEXT NOT NULL,
    output_key TEXT NOT NULL,
    key_id TEXT,
    bytes BIGINT NOT NULL,
    range TEXT,
    user_agent TEXT,
    requester_ip TEXT,
    created_at TEXT NOT NULL,
    reserved INTEGER NOT NULL DEFAULT 0
  );
  CREATE INDEX egress_ledger_org ON egress_ledger(org_id);
  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  CREATE TABLE rate_counters (
    bucket TEXT PRIMARY KEY,
    window_start BIGINT NOT NULL,        -- unix ms
    count INTEGER NOT NULL
  );
  `,
  /* 2: SQLite's migration 3 (events, webhooks, retention) */ `
  ALTER TABLE organizations ADD COLUMN retention_days INTEGER;
  ALTER TABLE jobs ADD COLUMN expires_at TEXT;
  ALTER TABLE jobs ADD COLUMN expired_at TEXT;
  CREATE INDEX jobs_expiry ON jobs(expires_at) WHERE expires_at IS NOT NULL AND expired_at IS NULL AND deleted_at IS NULL;
  CREATE TABLE event_sequences (
    org_id TEXT PRIMARY KEY,
    last_sequence BIGINT NOT NULL
  );
  CREATE TABLE job_events (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL,
    sequence BIGINT NOT NULL,
    type TEXT NOT NULL,
    job_id TEXT NOT NULL,
    job TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX job_events_org_sequence ON job_events(org_id, sequence);
  CREATE INDEX job_events_created ON job_events(created_at);
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,
    secret TEXT NOT NULL,
    created_at TEXT NOT NULL,
    removed_at TEXT
  );
  CREATE INDEX webhook_endpoints_org ON webhook_endpoints(org_id);
  CREATE TABLE webhook_deliveries (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    event_sequence BIGINT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    give_up_at BIGINT NOT NULL,
    lease_owner TEXT,
    lease_expires_at BIGINT,
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries(endpoint_id, event_id);
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
  CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, job_id, event_sequence);
  CREATE TABLE webhook_attempts (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    delivery_id BIGINT NOT NULL,
    attempt INTEGER NOT NULL,
    node_id TEXT,
    status INTEGER,
    error TEXT,
    duration_ms INTEGER,
    at TEXT NOT NULL
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
  `,
];

/** The advisory lock migrations run under (any 64-bit number no one else uses: "geopera" in ASCII). */
const MigrationLock = '29103451902669409';

/**
 * Bring a database up to the last migration. Every node runs this at its start; the first takes the
 * lock and migrates, the others wait for it and then find nothing left to do.
 */
export async function migratePostgres(pool: pg.Pool): Promise<void> {
  const c = await pool.connect();
  try {
    await c.query(`SELECT pg_advisory_lock(${MigrationLock})`);
    try {
      await c.query('CREATE TABLE IF NOT EXISTS geopera_schema (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
      const done = new Set((await c.query<{ version: number }>('SELECT version FROM geopera_schema')).rows.map((r) => r.version));
      for (let v = 1; v <= migrations.length; v++) {
        if (done.has(v)) continue;
        await c.query('BEGIN');
        try {
          await c.query(migrations[v - 1]!);
          await c.query('INSERT INTO geopera_schema (version, applied_at) VALUES ($1, $2)', [v, new Date().toISOString()]);
          await c.query('COMMIT');
        } catch (err) {
          await c.query('ROLLBACK');
          throw err;
        }
      }
    } finally {
      await c.query(`SELECT pg_advisory_unlock(${MigrationLock})`);
    }
  } finally {
    c.release();
  }
}
