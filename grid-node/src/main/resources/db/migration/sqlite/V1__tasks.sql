-- One row per task: the record in TaskGrid's binary format, plus the columns queries need.
CREATE TABLE taskgrid_tasks (
  id          TEXT    NOT NULL PRIMARY KEY,
  status      TEXT    NOT NULL,
  finished_at INTEGER NOT NULL DEFAULT 0,
  record      BLOB    NOT NULL
);
CREATE INDEX taskgrid_tasks_status ON taskgrid_tasks (status);
