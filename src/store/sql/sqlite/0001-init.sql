-- embargo schema 1 (SQLite). Portable SQL: the PostgreSQL migration of the
-- same number creates the same tables with BYTEA for BLOB and BIGINT for
-- INTEGER. Plain columns hold only what listing and filtering need and what
-- is not secret (docs/design/store.md, "plain and sealed"); every other
-- case content is a sealed envelope (BLOB) opened only with the case's
-- data key.

CREATE TABLE meta (
  k TEXT PRIMARY KEY,
  v BLOB NOT NULL
);

-- One row per master key ever used: its id and its escrow under the
-- recovery public key. Exactly one is active.
CREATE TABLE master_keys (
  key_id TEXT PRIMARY KEY,
  escrow BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  active INTEGER NOT NULL CHECK (active IN (0, 1))
);
CREATE UNIQUE INDEX master_keys_one_active ON master_keys (active) WHERE active = 1;

CREATE TABLE signing_keys (
  pk BLOB PRIMARY KEY,
  created_at INTEGER NOT NULL
);

CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  name TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  roles INTEGER NOT NULL,
  real_name_verified INTEGER NOT NULL,
  pwhash TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE user_orgs (
  user_id TEXT NOT NULL REFERENCES users (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),
  PRIMARY KEY (user_id, org_id)
);

CREATE TABLE tokens (
  hash BLOB PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL
);

CREATE TABLE cases (
  id TEXT PRIMARY KEY,
  year INTEGER NOT NULL,
  number INTEGER NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  disclosure TEXT NOT NULL,
  provider_org TEXT NOT NULL,
  submitter_org TEXT NOT NULL,
  aware_at INTEGER NOT NULL,
  vendor_notified_at INTEGER NOT NULL,
  nvdb_reported_at INTEGER NOT NULL,
  fix_available_at INTEGER NOT NULL,
  published_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  version INTEGER NOT NULL,
  dek BLOB NOT NULL,
  dek_key_id TEXT NOT NULL,
  core BLOB NOT NULL,
  details BLOB NOT NULL,
  UNIQUE (year, number)
);
CREATE INDEX cases_state ON cases (state, id);
CREATE INDEX cases_provider ON cases (provider_org, id);
CREATE INDEX cases_dek_key ON cases (dek_key_id);

CREATE TABLE participants (
  case_id TEXT NOT NULL REFERENCES cases (id),
  org_id TEXT NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (case_id, org_id)
);
CREATE INDEX participants_org ON participants (org_id, case_id);

CREATE TABLE messages (
  case_id TEXT NOT NULL REFERENCES cases (id),
  id INTEGER NOT NULL,
  author TEXT NOT NULL,
  internal INTEGER NOT NULL,
  at INTEGER NOT NULL,
  body BLOB NOT NULL,
  PRIMARY KEY (case_id, id)
);

CREATE TABLE attachments (
  case_id TEXT NOT NULL REFERENCES cases (id),
  id TEXT NOT NULL,
  class TEXT NOT NULL,
  at INTEGER NOT NULL,
  size INTEGER NOT NULL,
  meta BLOB NOT NULL,
  data BLOB NOT NULL,
  PRIMARY KEY (case_id, id)
);

-- RMSV Art. 5, R-01/R-02: append-only; a delete is allowed by the store
-- only after the policy engine and emb_receipt_may_delete agreed.
CREATE TABLE receipts (
  id TEXT PRIMARY KEY,
  at INTEGER NOT NULL,
  channel TEXT NOT NULL,
  submitter TEXT NOT NULL,
  content_hash TEXT NOT NULL
);
CREATE INDEX receipts_at ON receipts (at);
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
BEGIN
  SELECT RAISE(ABORT, 'receipts are append-only');
END;

-- The audit chain (docs/design/audit.md). details and reasons are TEXT
-- holding the exact bytes that were hashed.
CREATE TABLE audit_events (
  seq INTEGER PRIMARY KEY,
  time INTEGER NOT NULL,
  usec INTEGER NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  decision INTEGER NOT NULL,
  reasons TEXT NOT NULL,
  request_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash BLOB NOT NULL,
  hash BLOB NOT NULL
);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
  SELECT RAISE(ABORT, 'the audit log is append-only');
END;

CREATE TABLE audit_checkpoints (
  seq INTEGER PRIMARY KEY,
  hash BLOB NOT NULL,
  time INTEGER NOT NULL,
  key BLOB NOT NULL,
  sig BLOB NOT NULL
);

CREATE TABLE filing (
  one INTEGER PRIMARY KEY CHECK (one = 1),
  filing_number TEXT NOT NULL,
  filed_at INTEGER NOT NULL,
  channels TEXT NOT NULL,
  complaint_channel TEXT NOT NULL,
  disclosure_policy TEXT NOT NULL
);
