-- TaskRecord.progress() now ranks two ends of the same attempt (a result above an error above a
-- cancel: 2^62 + 4 × fence + rank, was 2^62 + fence), so that the database and the split-brain merge
-- keep the same end whichever side of a split wrote last. Rows of ended tasks move to the new scale.
UPDATE taskgrid_tasks
SET progress = 4611686018427387904 + 4 * (progress - 4611686018427387904)
    + CASE status WHEN 'COMPLETED' THEN 2 WHEN 'FAILED' THEN 1 ELSE 0 END
WHERE progress >= 4611686018427387904;
