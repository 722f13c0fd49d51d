package io.taskgrid.node.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import com.hazelcast.spi.merge.MergingValue;
import io.taskgrid.grid.TaskRecord;

/**
 * Decides which copy of a task survives when a member that was cut off (or paused) merges back:
 * the surviving cluster's copy, unless the merging copy belongs to a newer attempt. An ended task
 * is never replaced by an unfinished copy, and a task only the merging side knows is kept.
 *
 * <p>"Newer" is the fencing counter, which every claim raises. The side that kept running re-ran
 * the cut-off node's tasks, so its fence is higher and the stale copy (and any late report that
 * landed on it) loses.
 *
 * <p>Both sides can end the same task: a node cut off for longer than the heartbeat timeout
 * takes the others for dead when it wakes, requeues their attempts and runs them again under a
 * higher fence. Of two ended copies the one further along is kept, as the database keeps it (a row
 * is replaced by one at least as far along, {@link io.taskgrid.grid.TaskRecord#progress()}): the
 * newer attempt's, and of two ends of the same attempt (a cancel on one side while the other
 * finished the attempt) the attempt's own end. Keeping the survivor's instead left memory and
 * database disagreeing for good, and a restart showed the other end (20 tasks in a chaos run with
 * four freezes).
 */
public class NewestAttemptMergePolicy implements SplitBrainMergePolicy<Object, MergingValue<Object>, Object> {
  private static final long serialVersionUID = 1L;

  @Override
  public Object merge(MergingValue<Object> merging, MergingValue<Object> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    return mergingWins((TaskRecord) merging.getDeserializedValue(), (TaskRecord) existing.getDeserializedValue())
        ? merging.getRawValue()
        : existing.getRawValue();
  }

  static boolean mergingWins(TaskRecord merging, TaskRecord existing) {
    if (existing == null) {
      return true;
    }
    if (merging == null || (existing.getStatus().isTerminal() && !merging.getStatus().isTerminal())) {
      return false;
    }
    if (existing.getStatus().isTerminal()) {
      return merging.progress() > existing.progress();
    }
    return merging.getFence() > existing.getFence();
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
