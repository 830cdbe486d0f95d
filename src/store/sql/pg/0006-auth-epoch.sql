-- embargo schema 6 (PostgreSQL): the credential epoch, as in
-- sql/sqlite/0006-auth-epoch.sql: one counter that every change to what token
-- authentication reads moves forward (a token added, removed or changed in
-- anything but its "last used" time; any change to a user or to a user's
-- organisations), so that a server's in-memory authentication results
-- (src/store/authcache.c) are used only while it is unchanged. Statement-level
-- triggers (one bump per statement is enough: the counter only has to move),
-- TRUNCATE included. Each step is 1 + a random 32-bit number, so a database
-- restored to an earlier state while servers keep running does not reach
-- epoch values they kept with other rows (see the SQLite file).
CREATE TABLE auth_epoch (
  id SMALLINT PRIMARY KEY CHECK (id = 1),
  n BIGINT NOT NULL
);
INSERT INTO auth_epoch (id, n) VALUES (1, 0);

CREATE FUNCTION auth_epoch_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE auth_epoch SET n = n + 1 + floor(random() * 4294967296)::bigint WHERE id = 1;
  RETURN NULL;
END
$$;

CREATE TRIGGER tokens_epoch
AFTER INSERT OR DELETE OR TRUNCATE
   OR UPDATE OF id, hash, user_id, name, created_at, expires_at ON tokens
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER users_epoch AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON users
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
CREATE TRIGGER user_orgs_epoch AFTER INSERT OR DELETE OR UPDATE OR TRUNCATE ON user_orgs
FOR EACH STATEMENT EXECUTE FUNCTION auth_epoch_bump();
