-- How far the task had come when its row was written (TaskRecord.progress()): a write-behind store
-- only replaces a row with a record at least as far along, so a late write of an older copy (from a
-- member that has just handed the partition over) never takes a finished task back to RUNNING.
-- Rows written before this column hold 0, which any write replaces.
ALTER TABLE taskgrid_tasks ADD COLUMN progress INTEGER NOT NULL DEFAULT 0;
