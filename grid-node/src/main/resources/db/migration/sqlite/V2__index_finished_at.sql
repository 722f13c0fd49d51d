-- Unfinished tasks are those with finished_at 0; the sweeper deletes by a range of finished_at.
-- One index serves both (the status index served only the first, and the deletion scanned the table).
DROP INDEX taskgrid_tasks_status;
CREATE INDEX taskgrid_tasks_finished_at ON taskgrid_tasks (finished_at);
