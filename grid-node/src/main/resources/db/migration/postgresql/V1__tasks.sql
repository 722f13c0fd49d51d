-- One row per task: the record in TaskGrid's binary format, plus the columns queries need.
CREATE TABLE taskgrid_tasks (
  id          VARCHAR(128) NOT NULL PRIMARY KEY,
  status      VARCHAR(16)  NOT NULL,
  finished_at BIGINT       NOT NULL DEFAULT 0,
  record      BYTEA        NOT NULL
);
CREATE INDEX taskgrid_tasks_status ON taskgrid_tasks (status);
