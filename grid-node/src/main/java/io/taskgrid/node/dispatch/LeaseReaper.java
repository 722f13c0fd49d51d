package io.taskgrid.node.dispatch;

import io.taskgrid.grid.RequeueLost;
import io.taskgrid.grid.TaskStore;
import java.time.Clock;
import org.springframework.stereotype.Component;

/**
 * Requeues tasks in this node's partitions whose lease has run out: their node is alive as far as
 * the cluster can tell, but stopped renewing (stuck, or cut off from the owner).
 */
@Component
public class LeaseReaper {
  private final TaskStore store;
  private final RunningIndex running;
  private final Reconciler reconciler;
  private final Clock clock;

  public LeaseReaper(TaskStore store, RunningIndex running, Reconciler reconciler, Clock clock) {
    this.store = store;
    this.running = running;
    this.reconciler = reconciler;
    this.clock = clock;
  }

  /** Checks every running attempt of this node's partitions once. */
  public void reap() {
    long now = clock.millis();
    for (RunningIndex.Attempt attempt : running.all()) {
      if (attempt.leaseUntil() < now) {
        String reason = "lease of attempt " + attempt.attempt() + " on node " + attempt.node() + " expired";
        store.map()
            .submitToKey(attempt.taskId(), new RequeueLost(attempt.fence(), attempt.node(), now, reason, true))
            .thenAccept(reply -> reconciler.forgetUnless(attempt, reply));
      }
    }
  }
}
