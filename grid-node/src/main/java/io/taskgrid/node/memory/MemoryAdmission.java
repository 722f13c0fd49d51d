package io.taskgrid.node.memory;

import io.taskgrid.grid.SubmissionAdmission;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.ClusterFullException;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.dispatch.NodeStatus;
import org.springframework.stereotype.Component;

/**
 * Refuses new tasks while any member's heap is too full ({@link HeapPressure}), this node's own
 * at once and the others' as the load board last said. A submission lands on the partitions of
 * every member, and its backups on others, so one full member is enough to refuse: admitted, its
 * tasks and their results could run it out of memory, and it would take the acknowledged tasks it
 * holds with it. Reads and cancels go on.
 */
@Component
public class MemoryAdmission implements SubmissionAdmission {
  private static final String AFTER = "; nothing was stored. Retry once finished tasks have left memory "
      + "(after taskgrid.persistence.residency, or its retention without persistence) or the cluster has grown";

  private final HeapPressure heap;
  private final LoadBoard board;

  public MemoryAdmission(HeapPressure heap, LoadBoard board, TaskStore store) {
    this.heap = heap;
    this.board = board;
    store.admitWith(this);
  }

  @Override
  public void admit() {
    if (heap.full()) {
      throw new ClusterFullException(String.format("this node's heap is %d%% full after garbage collection, "
          + "over its taskgrid.memory.refuse-above of %d%%" + AFTER,
          Math.round(heap.afterGc() * 100), Math.round(heap.refuseAbove() * 100)));
    }
    NodeStatus full = board.fullMember();
    if (full != null) {
      throw new ClusterFullException("the heap of node " + full.address()
          + " is over its taskgrid.memory.refuse-above after garbage collection" + AFTER);
    }
  }
}
