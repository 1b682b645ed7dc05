/**
 * SQLite's schema migrations as code (tsc does not copy .sql files). Each runs once, in order, inside a
 * transaction; `PRAGMA user_version` records how far a database has come. PostgreSQL's schema
 * (postgres/pg.schema.ts) has the same tables and columns; a migration added here is added there too.
 */
import type Database from 'better-sqlite3';

export const migrations: readonly string[] = [
  /* 1: the whole first schema */ `
  CREATE TABLE organizations (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    credit_limit_km2 REAL,            -- NULL: unlimited
    egress_limit_bytes INTEGER,       -- NULL: unlimited
    created_at TEXT NOT NULL
  );
  CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,              -- short key id, shown and logged (never the key)
    org_id TEXT NOT NULL REFERENCES organizations(id),
    name TEXT,
    scopes TEXT NOT NULL,             -- space separated
    hash TEXT NOT NULL UNIQUE,        -- sha256 hex of the full key
    hint TEXT NOT NULL,               -- 'gpra_abcd…wxyz' for display
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE TABLE session_tokens (
    id TEXT PRIMARY KEY,
    key_id TEXT NOT NULL REFERENCES api_keys(id),
    kind TEXT NOT NULL CHECK (kind IN ('access', 'refresh')),
    hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    expires_at INTEGER NOT NULL,      -- unix ms
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
    outputs_requested TEXT NOT NULL,  -- JSON array of mosaic types or asset keys
    aoi TEXT NOT NULL,                -- JSON GeoJSON geometry as given
    aoi_name TEXT,
    project_id TEXT,
    output_name TEXT,
    status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'completed', 'failed', 'canceled')),
    stage TEXT,
    progress REAL NOT NULL DEFAULT 0,
    cost_km2 REAL NOT NULL DEFAULT 0,
    error_code TEXT,
    error_message TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    lease_owner TEXT,
    lease_expires_at INTEGER,         -- unix ms
    render_defaults TEXT,             -- JSON, per output, computed when the job completes
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    started_at TEXT,
    finished_at TEXT,
    deleted_at TEXT
  );
  CREATE INDEX jobs_org_created ON jobs(org_id, created_at DESC);
  CREATE INDEX jobs_queue ON jobs(status, created_at);
  CREATE TABLE job_outputs (
    job_id TEXT NOT NULL REFERENCES jobs(id),
    output_key TEXT NOT NULL,         -- mosaic type or asset key
    file_name TEXT NOT NULL,
    rel_path TEXT NOT NULL,           -- relative to the data dir
    size_bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    info TEXT,                        -- JSON: grid, bands, overviews, bounds
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
    body BLOB,
    created_at INTEGER NOT NULL,      -- unix ms
    expires_at INTEGER NOT NULL,      -- unix ms
    PRIMARY KEY (org_id, key)
  );
  CREATE TABLE credit_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    job_id TEXT,
    kind TEXT NOT NULL CHECK (kind IN ('grant', 'hold', 'capture', 'release')),
    amount_km2 REAL NOT NULL,
    note TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX credit_ledger_org ON credit_ledger(org_id);
  CREATE TABLE egress_ledger (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    job_id TEXT NOT NULL,
    output_key TEXT NOT NULL,
    key_id TEXT,
    bytes INTEGER NOT NULL,
    range TEXT,
    user_agent TEXT,
    requester_ip TEXT,
    created_at TEXT NOT NULL
  );
  CREATE INDEX egress_ledger_org ON egress_ledger(org_id);
  CREATE TABLE settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  /* 2: several nodes: idempotency keys unique per org on jobs, reservation owners, egress reservations,
        one hold and one settlement per job, shared rate-limit windows */ `
  ALTER TABLE jobs ADD COLUMN idempotency_key TEXT;
  CREATE UNIQUE INDEX jobs_idempotency ON jobs(org_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
  ALTER TABLE idempotency_records ADD COLUMN token TEXT;
  ALTER TABLE egress_ledger ADD COLUMN reserved INTEGER NOT NULL DEFAULT 0;
  CREATE UNIQUE INDEX credit_ledger_one_hold ON credit_ledger(job_id) WHERE kind = 'hold';
  CREATE UNIQUE INDEX credit_ledger_one_settlement ON credit_ledger(job_id) WHERE kind IN ('capture', 'release');
  CREATE TABLE rate_counters (
    bucket TEXT PRIMARY KEY,
    window_start INTEGER NOT NULL,    -- unix ms
    count INTEGER NOT NULL
  );
  `,
  /* 3: the job lifecycle past completed: per-org event sequence and events (the stream and the webhook outbox),
        webhook endpoints, deliveries and attempts, retention (org policy, job expiry) */ `
  ALTER TABLE organizations ADD COLUMN retention_days INTEGER;  -- NULL: GEOPERA_RETENTION_DAYS; 0: keep forever
  ALTER TABLE jobs ADD COLUMN expires_at TEXT;                  -- when a completed job's files end (ISO 8601)
  ALTER TABLE jobs ADD COLUMN expired_at TEXT;                  -- when the sweeper removed them
  CREATE INDEX jobs_expiry ON jobs(expires_at) WHERE expires_at IS NOT NULL AND expired_at IS NULL AND deleted_at IS NULL;
  CREATE TABLE event_sequences (
    org_id TEXT PRIMARY KEY,
    last_sequence INTEGER NOT NULL
  );
  CREATE TABLE job_events (
    id TEXT PRIMARY KEY,              -- evt_…: the webhook-id of its deliveries
    org_id TEXT NOT NULL,
    sequence INTEGER NOT NULL,        -- per org, from event_sequences: the SSE id
    type TEXT NOT NULL,
    job_id TEXT NOT NULL,
    job TEXT NOT NULL,                -- JSON: the job row after the change (without its AOI)
    created_at TEXT NOT NULL
  );
  CREATE UNIQUE INDEX job_events_org_sequence ON job_events(org_id, sequence);
  CREATE INDEX job_events_created ON job_events(created_at);
  CREATE TABLE webhook_endpoints (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organizations(id),
    url TEXT NOT NULL,
    events TEXT NOT NULL,             -- space separated event types
    secret TEXT NOT NULL,             -- whsec_…
    created_at TEXT NOT NULL,
    removed_at TEXT
  );
  CREATE INDEX webhook_endpoints_org ON webhook_endpoints(org_id);
  CREATE TABLE webhook_deliveries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    endpoint_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    org_id TEXT NOT NULL,
    job_id TEXT NOT NULL,
    event_sequence INTEGER NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'delivered', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL, -- unix ms
    give_up_at INTEGER NOT NULL,      -- unix ms
    lease_owner TEXT,
    lease_expires_at INTEGER,         -- unix ms
    last_status INTEGER,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
  );
  CREATE UNIQUE INDEX webhook_deliveries_once ON webhook_deliveries(endpoint_id, event_id);
  CREATE INDEX webhook_deliveries_due ON webhook_deliveries(state, next_attempt_at);
  CREATE INDEX webhook_deliveries_order ON webhook_deliveries(endpoint_id, job_id, event_sequence);
  CREATE TABLE webhook_attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    delivery_id INTEGER NOT NULL,
    attempt INTEGER NOT NULL,
    node_id TEXT,
    status INTEGER,                   -- HTTP status, NULL when none came
    error TEXT,
    duration_ms INTEGER,
    at TEXT NOT NULL
  );
  CREATE INDEX webhook_attempts_delivery ON webhook_attempts(delivery_id);
  `,
];

/**
 * Bring a database up to the last migration, each in its own write transaction that reads the version
 * it starts from: a server and an admin command opening a new file at once never run one twice.
 */
export function migrateSqlite(db: Database.Database): void {
  const step = db.transaction((): boolean => {
    const v = db.pragma('user_version', { simple: true }) as number;
    if (v >= migrations.length) return false;
    db.exec(migrations[v]!);
    db.pragma(`user_version = ${v + 1}`);
    return true;
  });
  while (step.immediate());
}
