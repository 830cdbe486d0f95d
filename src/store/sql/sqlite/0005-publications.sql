-- embargo schema 5 (SQLite): where each case was published. The pack allows
-- publishing a published case again on a further channel (R-26 and SM-1:
-- "publication on a further channel"); this table makes a publication on
-- the same channel happen once, however many nodes are asked to do it at
-- the same moment: the store refuses it (EMB_ECONFLICT, 409
-- ALREADY_PUBLISHED) before anything is decided. Cases published before
-- this migration have no row: their first publication on a channel after it
-- is recorded like a new one.
CREATE TABLE publications (
  case_id TEXT NOT NULL REFERENCES cases (id),
  channel TEXT NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (case_id, channel)
);
