-- embargo schema: tasks across cases (SQLite; portable SQL, the PostgreSQL
-- migration of the same number is the same text with BIGINT for INTEGER).
--
-- The sealed core of a case (cases.core) holds its tasks and stays the
-- authority the policy engine reads. This table mirrors the plain facts of
-- each task (case id, number, kind, rule id, times, who closed it: none is
-- vulnerability content, docs/design/store.md) so the scheduler and the task
-- lists can query across cases without opening every case. The store writes
-- both in the same transaction; `embargo db reindex-tasks` rebuilds the
-- table from the sealed cores (cases created before this migration).
CREATE TABLE tasks (
  case_id TEXT NOT NULL REFERENCES cases (id),
  n INTEGER NOT NULL,            -- 1-based position in the case's task list (never reused)
  kind TEXT NOT NULL,
  rule TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  due_at INTEGER NOT NULL,       -- 0: no deadline
  due_sort INTEGER NOT NULL,     -- due_at, or 9223372036854775807 without a deadline (sorts last)
  done INTEGER NOT NULL CHECK (done IN (0, 1)),
  done_at INTEGER NOT NULL,      -- 0 while open
  done_by TEXT NOT NULL,         -- user id; '' while open
  PRIMARY KEY (case_id, n)
);
-- The work queue: open tasks by due time (lists, overdue filter).
CREATE INDEX tasks_open_due ON tasks (done, due_sort, case_id, n);
-- The scheduler: cases that have open tasks, in id order.
CREATE INDEX tasks_open_case ON tasks (done, case_id);

-- An auditor reads the history of one case (GET /api/v1/audit/events?object=).
CREATE INDEX audit_events_object ON audit_events (object, seq);
