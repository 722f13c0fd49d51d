-- Listings read finished tasks from here once they have left memory, a page at a time in id order
-- (TaskMapStore.finished). Ids compare byte by byte ("C"), as in memory and in SQLite: a database
-- whose own collation sorts otherwise (en_US ignores '-' and '.') would page out of order, and the
-- primary key's index, in that collation, cannot serve the order. Partial: a row joins them once,
-- when its task ends, and the journal's inserts of new tasks (unfinished) never touch them.
CREATE INDEX taskgrid_tasks_finished_id ON taskgrid_tasks (id COLLATE "C") WHERE finished_at > 0;
CREATE INDEX taskgrid_tasks_finished_status_id ON taskgrid_tasks (status, id COLLATE "C") WHERE finished_at > 0;
