-- embargo schema 5 (PostgreSQL): where each case was published. The same text
-- as sql/sqlite/0005-publications.sql with BIGINT for INTEGER and COLLATE "C"
-- on text keys.
--
-- The pack allows publishing a published case again on a further channel;
-- this table makes a publication on the same channel happen once, however
-- many nodes are asked to do it at the same moment (EMB_ECONFLICT, 409
-- ALREADY_PUBLISHED). Cases published before this migration have no row.
CREATE TABLE publications (
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
  channel TEXT COLLATE "C" NOT NULL,
  at BIGINT NOT NULL,
  PRIMARY KEY (case_id, channel)
);
