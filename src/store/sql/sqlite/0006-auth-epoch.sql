-- embargo schema 6 (SQLite): the credential epoch. One counter that every
-- change to what token authentication reads moves forward: a token added,
-- removed or changed in anything but its "last used" time, and any change to
-- a user or to a user's organisations. A server keeps the result of a token's
-- authentication in memory with the epoch it was read at (src/store/authcache.c)
-- and uses it again only while the epoch, read in the same transaction as the
-- rest of the request, is unchanged: so a revocation, a disabled account or a
-- new role counts from the next request on every node and process, exactly as
-- without the cache. The triggers keep it whoever writes (this binary, an
-- older one, `embargo admin` from another process, a restore). Each step is
-- 1 + a random 32-bit number, not 1: a database brought back to an earlier
-- state while a server keeps running (a point-in-time restore of PostgreSQL,
-- which the server's connections survive) must not reach an epoch value the
-- server already kept with other rows, which counting up by one from the
-- older value would do. 2^31 steps fit before the counter could overflow.
CREATE TABLE auth_epoch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  n INTEGER NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);

CREATE TRIGGER tokens_epoch_insert AFTER INSERT ON tokens
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER tokens_epoch_delete AFTER DELETE ON tokens
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER tokens_epoch_update
AFTER UPDATE OF id, hash, user_id, name, created_at, expires_at ON tokens
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;

CREATE TRIGGER users_epoch_insert AFTER INSERT ON users
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER users_epoch_delete AFTER DELETE ON users
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER users_epoch_update AFTER UPDATE ON users
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;

CREATE TRIGGER user_orgs_epoch_insert AFTER INSERT ON user_orgs
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER user_orgs_epoch_delete AFTER DELETE ON user_orgs
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
CREATE TRIGGER user_orgs_epoch_update AFTER UPDATE ON user_orgs
BEGIN UPDATE auth_epoch SET n = n + 1 + (random() & 4294967295) WHERE id = 1; END;
