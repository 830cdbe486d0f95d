-- embargo schema 3 (PostgreSQL): what the case API needs. The same text as
-- sql/sqlite/0003-caseapi.sql, with COLLATE "C" on the new text key.
--
-- cases.submitter: the id of the user who submitted the case, set by the
-- store at creation (never from input). It is a directory id like the org
-- columns beside it, and it decides visibility: a reporter follows the
-- reports they submitted (docs/design/http.md, "Access control"). Cases
-- created before this migration have '' (no submitter recorded).
ALTER TABLE cases ADD COLUMN submitter TEXT COLLATE "C" NOT NULL DEFAULT '';
CREATE INDEX cases_submitter ON cases (submitter, id);

-- Paging through the messages of a case without the internal ones, and
-- listing the cases an organisation takes part in (participants_org exists).
CREATE INDEX messages_shared ON messages (case_id, internal, id);
