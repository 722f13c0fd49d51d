package io.taskgrid.node.execution;

import io.taskgrid.grid.Reply;
import io.taskgrid.grid.RenewLease;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.execution.Execution.StopReason;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Renews the lease of every attempt running on this node, so that long tasks keep their claim.
 * A renewal the grid refuses means the attempt was given up (requeued after the lease ran out,
 * or cancelled): the handler is interrupted and its slot freed.
 *
 * <p>It runs on a thread of its own: a renewal is the node's sign of life for its attempts, and on
 * the node's shared duty thread a reconciliation over a million pending tasks (seconds each) held
 * renewals back until leases ran out and running tasks were requeued on a live node.
 */
@Component
public class LeaseRenewer {
  private static final Logger log = LoggerFactory.getLogger(LeaseRenewer.class);
  private final TaskStore store;
  private final Worker worker;
  private final Clock clock;
  private final long leaseMillis;
  // Guarded by this: started and stopped by the node's lifecycle.
  private ScheduledExecutorService thread;

  public LeaseRenewer(TaskStore store, Worker worker, Clock clock,
      TaskGridProperties properties) {
    this.store = store;
    this.worker = worker;
    this.clock = clock;
    this.leaseMillis = properties.lease().toMillis();
  }

  /** How often to renew: a third of the lease, so two renewals may fail before it runs out. */
  public Duration interval() {
    return Duration.ofMillis(Math.max(10, leaseMillis / 3));
  }

  /** Renews every {@link #interval()} from now on, until {@link #stop()}. */
  public synchronized void start() {
    if (thread == null) {
      thread = Executors.newSingleThreadScheduledExecutor(Worker.named("taskgrid-lease-renewer"));
      long every = interval().toMillis();
      thread.scheduleWithFixedDelay(this::renewQuietly, every, every, TimeUnit.MILLISECONDS);
    }
  }

  /** Stops renewing: the node has drained its attempts, or is going down. */
  public synchronized void stop() {
    if (thread != null) {
      thread.shutdownNow();
      thread = null;
    }
  }

  private void renewQuietly() {
    try {
      renewAll();
    } catch (RuntimeException e) {
      // Hazelcast refused the calls (shutting down, or a migration under way): the next round retries.
      log.warn("Lease renewal failed: {}", e.toString());
    }
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
