-- embargo schema 4 (PostgreSQL): tasks across cases. The same text as
-- sql/sqlite/0004-tasks.sql with BIGINT for INTEGER, BOOLEAN for the done
-- flag and COLLATE "C" on text keys.
--
-- The sealed core of a case (cases.core) holds its tasks and stays the
-- authority the policy engine reads. This table mirrors the plain facts of
-- each task (case id, number, kind, rule id, times, who closed it: none is
-- vulnerability content, docs/design/store.md) so the scheduler and the task
-- lists can query across cases without opening every case. The store writes
-- both in the same transaction; `embargo db reindex-tasks` rebuilds the
-- table from the sealed cores (cases created before this migration).
CREATE TABLE tasks (
  case_id TEXT COLLATE "C" NOT NULL REFERENCES cases (id),
  n BIGINT NOT NULL,             -- 1-based position in the case's task list (never reused)
  kind TEXT NOT NULL,
  rule TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,        -- 0: no deadline
  due_sort BIGINT NOT NULL,      -- due_at, or 9223372036854775807 without a deadline (sorts last)
  done BOOLEAN NOT NULL,
  done_at BIGINT NOT NULL,       -- 0 while open
  done_by TEXT NOT NULL,         -- user id; '' while open
  PRIMARY KEY (case_id, n)
);
-- The work queue: open tasks by due time (lists, overdue filter).
CREATE INDEX tasks_open_due ON tasks (done, due_sort, case_id, n);
-- The scheduler: cases that have open tasks, in id order.
CREATE INDEX tasks_open_case ON tasks (done, case_id);

-- An auditor reads the history of one case (GET /api/v1/audit/events?object=).
CREATE INDEX audit_events_object ON audit_events (object, seq);
