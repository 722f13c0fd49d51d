package io.taskgrid.node.lifecycle;

import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.dispatch.Dispatcher;
import io.taskgrid.node.dispatch.LeaseReaper;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.dispatch.LocalTaskWatcher;
import io.taskgrid.node.dispatch.PartitionSlices;
import io.taskgrid.node.dispatch.Reconciler;
import io.taskgrid.node.execution.CancellationWatcher;
import io.taskgrid.node.execution.LeaseRenewer;
import io.taskgrid.node.execution.Worker;
import io.taskgrid.node.membership.MembershipWatcher;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Starts the node's duties once the Spring context is ready, and on shutdown (SIGTERM,
 * scripts/stop-node.sh) drains it: stop claiming, let running tasks finish within the drain
 * timeout, hand the rest back without counting the attempt; then Hazelcast leaves gracefully,
 * migrating this member's partitions to the others.
 */
@Component
public class NodeLifecycle implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycle.class);
  private static final Duration REAP_INTERVAL = Duration.ofSeconds(1);

  private final LocalTaskWatcher watcher;
  private final CancellationWatcher cancellations;
  private final MembershipWatcher membership;
  private final Reconciler reconciler;
  private final LoadBoard board;
  private final Dispatcher dispatcher;
  private final Worker worker;
  private final LeaseReaper reaper;
  private final LeaseRenewer renewer;
  private final ScheduledExecutorService scheduler;
  private final TaskGridProperties properties;
  private volatile boolean running;

  public NodeLifecycle(LocalTaskWatcher watcher, CancellationWatcher cancellations, MembershipWatcher membership,
      Reconciler reconciler, LoadBoard board, Dispatcher dispatcher, Worker worker, LeaseReaper reaper,
      LeaseRenewer renewer, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler,
      TaskGridProperties properties) {
    this.watcher = watcher;
    this.cancellations = cancellations;
    this.membership = membership;
    this.reconciler = reconciler;
    this.board = board;
    this.dispatcher = dispatcher;
    this.worker = worker;
    this.reaper = reaper;
    this.renewer = renewer;
    this.scheduler = scheduler;
    this.properties = properties;
  }

  @Override
  public void start() {
    // Listen first, then read: a change between the two is seen twice rather than missed.
    watcher.start();
    cancellations.start();
    membership.start();
    int found = reconciler.reconcile();
    board.start();
    dispatcher.start();
    every(REAP_INTERVAL, reaper::reap);
    renewer.start();
    every(properties.reconcileInterval().dividedBy(PartitionSlices.SLICES), reconciler::reconcileNextSlice);
    running = true;
    log.info("Node ready: capacity {}, {} unfinished tasks in its partitions", worker.capacity(), found);
  }

  private void every(Duration interval, Runnable duty) {
    scheduler.scheduleWithFixedDelay(() -> {
      try {
        duty.run();
      } catch (RuntimeException e) {
        log.warn("Periodic duty failed: {}", e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void stop() {
    running = false;
    log.info("Draining: no new claims; waiting up to {} for {} running tasks", properties.drainTimeout(),
        worker.running());
    dispatcher.stopClaiming();
    board.drain();
    try {
      int handedBack = worker.drain(properties.drainTimeout());
      log.info("Drained; {} unfinished tasks handed back", handedBack);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dispatcher.stopHandOvers();
    renewer.stop();
    membership.stop();
    cancellations.stop();
    watcher.stop();
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
