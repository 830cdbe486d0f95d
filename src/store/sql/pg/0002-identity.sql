-- embargo schema 2 (PostgreSQL): identity over HTTP (cookie sessions, API
-- tokens with ids, account state). The same text as
-- sql/sqlite/0002-identity.sql with BYTEA for BLOB, BIGINT for INTEGER,
-- BOOLEAN for the 0/1 flags, COLLATE "C" on text keys (as in 0001), and
-- SQLite's lower(hex(substr(hash, 1, 8))) spelled encode(substring(hash
-- from 1 for 8), 'hex'). Secrets are never stored: tokens and session
-- cookies only as keyed BLAKE2b hashes (docs/design/http.md, "Sessions").

-- Account state. disabled: no token or session authenticates.
-- must_change_password: set with an admin-issued one-time password; a
-- cookie session may then only read itself, change the password and log
-- out. password_changed_at: 0 = never changed by its owner.
ALTER TABLE users ADD COLUMN disabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE users ADD COLUMN password_changed_at BIGINT NOT NULL DEFAULT 0;

-- API tokens get an id (what lists show and DELETE names: never the
-- hash), a name and an expiry, and remember when they were last used
-- (updated at most once a minute). Rebuilt rather than altered, as on
-- SQLite. Tokens made before this migration get an id derived from the
-- first 8 bytes of their keyed hash; new ones a random id.
CREATE TABLE tokens_v2 (
  id TEXT COLLATE "C" PRIMARY KEY,
  hash BYTEA NOT NULL UNIQUE,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL
);
INSERT INTO tokens_v2 (id, hash, user_id, name, created_at, expires_at, last_used_at)
  SELECT 'tok-' || encode(substring(hash from 1 for 8), 'hex'), hash, user_id, '', created_at,
    0, 0
  FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_v2 RENAME TO tokens;
CREATE INDEX tokens_user ON tokens (user_id, created_at);

-- Cookie sessions: the keyed hash of the cookie secret, its user, and the
-- times the idle timeout and the absolute lifetime are judged on. Expired
-- rows are purged at each login.
CREATE TABLE sessions (
  hash BYTEA PRIMARY KEY,
  user_id TEXT COLLATE "C" NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id, created_at);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_last_seen ON sessions (last_seen_at);
