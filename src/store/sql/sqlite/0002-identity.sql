-- embargo schema 2 (SQLite): identity over HTTP (cookie sessions, API
-- tokens with ids, account state). Portable as 0001 is: the PostgreSQL
-- migration of the same number is this file with BYTEA for BLOB and
-- BIGINT for INTEGER, and the one SQLite function below
-- (lower(hex(substr(hash, 1, 8)))) spelled encode(substring(hash from 1
-- for 8), 'hex'). Secrets are never stored: tokens and session cookies
-- only as keyed BLAKE2b hashes (docs/design/http.md, "Sessions").

-- Account state. disabled: no token or session authenticates.
-- must_change_password: set with an admin-issued one-time password; a
-- cookie session may then only read itself, change the password and log
-- out. password_changed_at: 0 = never changed by its owner.
ALTER TABLE users ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at INTEGER NOT NULL DEFAULT 0;

-- API tokens get an id (what lists show and DELETE names: never the
-- hash), a name and an expiry, and remember when they were last used
-- (updated at most once a minute). Rebuilt rather than altered because
-- the id is NOT NULL. Tokens made before this migration get an id derived
-- from the first 8 bytes of their keyed hash; new ones a random id.
CREATE TABLE tokens_v2 (
  id TEXT PRIMARY KEY,
  hash BLOB NOT NULL UNIQUE,
  user_id TEXT NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL
);
INSERT INTO tokens_v2 (id, hash, user_id, name, created_at, expires_at, last_used_at)
  SELECT 'tok-' || lower(hex(substr(hash, 1, 8))), hash, user_id, '', created_at, 0, 0
  FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v2 RENAME TO tokens;
CREATE INDEX tokens_user ON tokens (user_id, created_at);

-- Cookie sessions: the keyed hash of the cookie secret, its user, and the
-- times the idle timeout and the absolute lifetime are judged on. Expired
-- rows are purged at each login.
CREATE TABLE sessions (
  hash BLOB PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id),
  created_at INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
