-- embargo schema 1 (PostgreSQL). The same tables, columns and meaning as
-- sql/sqlite/0001-init.sql, with BIGINT for INTEGER, BYTEA for BLOB and
-- BOOLEAN for the 0/1 flags. Text keys use COLLATE "C" so that keyset
-- pagination and ORDER BY compare bytes, as SQLite does, whatever the
-- database's locale. Plain columns hold only what listing and filtering
-- need and what is not secret (docs/design/store.md, "plain and sealed");
-- every other case content is a sealed envelope (BYTEA) opened only with
-- the case's data key.

CREATE TABLE meta (
  k TEXT COLLATE "C" PRIMARY KEY,
  v BYTEA NOT NULL
);

-- One row per master key ever used: its id and its escrow under the
-- recovery public key. Exactly one is active.
CREATE TABLE master_keys (
  key_id TEXT COLLATE "C" PRIMARY KEY,
  escrow BYTEA NOT NULL,
  created_at BIGINT NOT NULL,
  active BOOLEAN NOT NULL
);
CREATE UNIQUE INDEX master_keys_one_active ON master_keys (active) WHERE active;

CREATE TABLE signing_keys (
  pk BYTEA PRIMARY KEY,
  created_at BIGINT NOT NULL
);

CREATE TABLE orgs (
  id TEXT COLLATE "C" PRIMARY KEY,
  kind TEXT NOT NULL,
  jurisdiction TEXT NOT NULL,
  name TEXT NOT NULL
);

CREATE TABLE users (
  id TEXT COLLATE "C" PRIMARY KEY,
  roles BIGINT NOT NULL,
  real_name_verified BOOLEAN NOT NULL,
  pwhash TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

CREATE TABLE user_orgs (
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  org_id TEXT COLLATE "C" NOT NULL REFERENCES orgs (id),
  PRIMARY KEY (user_id, org_id)
);

CREATE TABLE tokens (
  hash BYTEA PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL
);

CREATE TABLE cases (
  id TEXT COLLATE "C" PRIMARY KEY,
  year BIGINT NOT NULL,
  number BIGINT NOT NULL,
  type TEXT NOT NULL,
  state TEXT NOT NULL,
  disclosure TEXT NOT NULL,
  provider_org TEXT COLLATE "C" NOT NULL,
  submitter_org TEXT COLLATE "C" NOT NULL,
  aware_at BIGINT NOT NULL,
  vendor_notified_at BIGINT NOT NULL,
  nvdb_reported_at BIGINT NOT NULL,
  fix_available_at BIGINT NOT NULL,
  published_at BIGINT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL,
  dek BYTEA NOT NULL,
  dek_key_id TEXT COLLATE "C" NOT NULL,
  core BYTEA NOT NULL,
  details BYTEA NOT NULL,
  UNIQUE (year, number)
);
CREATE INDEX cases_state ON cases (state, id);
CREATE INDEX cases_provider ON cases (provider_org, id);
CREATE INDEX cases_dek_key ON cases (dek_key_id);

CREATE TABLE participants (
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
  org_id TEXT COLLATE "C" NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  PRIMARY KEY (case_id, org_id)
);
CREATE INDEX participants_org ON participants (org_id, case_id);

CREATE TABLE messages (
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
  id BIGINT NOT NULL,
  author TEXT NOT NULL,
  internal BOOLEAN NOT NULL,
  at BIGINT NOT NULL,
  body BYTEA NOT NULL,
  PRIMARY KEY (case_id, id)
);

CREATE TABLE attachments (
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
  id TEXT COLLATE "C" NOT NULL,
  class TEXT NOT NULL,
  at BIGINT NOT NULL,
  size BIGINT NOT NULL,
  meta BYTEA NOT NULL,
  data BYTEA NOT NULL,
  PRIMARY KEY (case_id, id)
);

-- Rows of the tables below may not change once written: a trigger refuses
-- it, naming the table (against bugs; the database owner can drop a
-- trigger, which is what the audit chain and docs/deploy.md's separate
-- owner role are for). SQLite has no TRUNCATE; here it is refused too.
CREATE FUNCTION embargo_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'audit_events' THEN
    RAISE EXCEPTION 'the audit log is append-only';
  END IF;
  RAISE EXCEPTION '% are append-only', TG_TABLE_NAME;
END
$$;

-- RMSV Art. 5, R-01/R-02: append-only; a delete is allowed by the store
-- only after the policy engine and emb_receipt_may_delete agreed.
CREATE TABLE receipts (
  id TEXT COLLATE "C" PRIMARY KEY,
  at BIGINT NOT NULL,
  channel TEXT NOT NULL,
  submitter TEXT NOT NULL,
  content_hash TEXT NOT NULL
);
CREATE INDEX receipts_at ON receipts (at);
CREATE TRIGGER receipts_no_update BEFORE UPDATE ON receipts
  FOR EACH ROW EXECUTE FUNCTION embargo_append_only();
CREATE TRIGGER receipts_no_truncate BEFORE TRUNCATE ON receipts
  FOR EACH STATEMENT EXECUTE FUNCTION embargo_append_only();

-- The audit chain (docs/design/audit.md). details and reasons are TEXT
-- holding the exact bytes that were hashed.
CREATE TABLE audit_events (
  seq BIGINT PRIMARY KEY,
  time BIGINT NOT NULL,
  usec BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  decision BIGINT NOT NULL,
  reasons TEXT NOT NULL,
  request_id TEXT NOT NULL,
  details TEXT NOT NULL,
  prev_hash BYTEA NOT NULL,
  hash BYTEA NOT NULL
);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION embargo_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION embargo_append_only();

CREATE TABLE audit_checkpoints (
  seq BIGINT PRIMARY KEY,
  hash BYTEA NOT NULL,
  time BIGINT NOT NULL,
  key BYTEA NOT NULL,
  sig BYTEA NOT NULL
);

CREATE TABLE filing (
  one BIGINT PRIMARY KEY CHECK (one = 1),
  filing_number TEXT NOT NULL,
  filed_at BIGINT NOT NULL,
  channels TEXT NOT NULL,
  complaint_channel TEXT NOT NULL,
  disclosure_policy TEXT NOT NULL
);
