-- The member (its Hazelcast UUID) whose journal inserted the row: when that member leaves, the
-- survivors enter its rows that are still PENDING and that no member holds in memory (a member that
-- dies between its journal's commit and its submit processor leaves such a row).
ALTER TABLE taskgrid_tasks ADD COLUMN journaled_by TEXT;
