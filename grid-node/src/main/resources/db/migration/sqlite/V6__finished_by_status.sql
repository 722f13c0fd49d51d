-- Listings read finished tasks from here once they have left memory, a page at a time in id order
-- (TaskMapStore.finished): by id, or by status and id. Partial: a row joins them once, when its task
-- ends, and the journal's inserts of new tasks (unfinished) never touch them; and a listing does not
-- step over unfinished rows (the primary key made a page with 1,000,000 pending tasks take 0.2 s).
CREATE INDEX taskgrid_tasks_finished_id ON taskgrid_tasks (id) WHERE finished_at > 0;
CREATE INDEX taskgrid_tasks_finished_status_id ON taskgrid_tasks (status, id) WHERE finished_at > 0;
