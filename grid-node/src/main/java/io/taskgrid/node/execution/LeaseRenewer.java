package io.taskgrid.node.execution;

import io.taskgrid.grid.Reply;
import io.taskgrid.grid.RenewLease;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.Execution.StopReason;
import java.time.Clock;
import java.time.Duration;
import org.springframework.stereotype.Component;

/**
 * Renews the lease of every attempt running on this node, so that long tasks keep their claim.
 * A renewal the grid refuses means the attempt was given up (requeued after the lease ran out,
 * or cancelled): the handler is interrupted and its slot freed.
 */
@Component
public class LeaseRenewer {
  private final TaskStore store;
  private final Worker worker;
  private final Clock clock;
  private final long leaseMillis;

  public LeaseRenewer(TaskStore store, Worker worker, Clock clock,
      io.taskgrid.node.config.TaskGridProperties properties) {
    this.store = store;
    this.worker = worker;
    this.clock = clock;
    this.leaseMillis = properties.lease().toMillis();
  }

  /** How often to renew: a third of the lease, so two renewals may fail before it runs out. */
  public Duration interval() {
    return Duration.ofMillis(Math.max(10, leaseMillis / 3));
  }

  public void renewAll() {
    long now = clock.millis();
    for (Execution execution : worker.executions()) {
      store.map()
          .submitToKey(execution.taskId, new RenewLease(execution.fence, execution.node, now, now + leaseMillis))
          .thenAccept(reply -> {
            if (reply.outcome() != Reply.Outcome.APPLIED) {
              worker.countStale("RenewLease");
              execution.stop(StopReason.STALE);
            }
          });
    }
  }
}
