-- Listings read finished tasks from here once they have left memory, a page at a time in id order
-- (TaskMapStore.finished). With a status, this index gives them in order; without one, the primary
-- key does. Partial: a row joins it once, when its task ends, and the journal's inserts of new
-- tasks (unfinished) never touch it.
CREATE INDEX taskgrid_tasks_finished_status_id ON taskgrid_tasks (status, id) WHERE finished_at > 0;
