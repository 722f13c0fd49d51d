package io.taskgrid.node.execution;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.AttemptReport;
import io.taskgrid.grid.CompleteAttempt;
import io.taskgrid.grid.FailAttempt;
import io.taskgrid.grid.HandBack;
import io.taskgrid.grid.Reply;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.execution.Execution.StopReason;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.stereotype.Component;

/**
 * Runs claimed tasks in {@code capacity} slots and reports each attempt's outcome to the grid,
 * fenced by the attempt's token, through the {@link OutcomeReporter}. A slot is taken (reserved)
 * before a task is claimed and freed only when its handler has returned, so the node never runs
 * more than {@code capacity} handlers, not even those that ignore an interrupt. The attempt stays
 * in {@link #executions()} (its lease renewed) until the grid has its outcome.
 */
@Component
public class Worker {
  private static final Logger log = LoggerFactory.getLogger(Worker.class);

  /** How long draining waits for outcomes already sent to land. */
  private static final Duration REPORT_FLUSH = Duration.ofSeconds(5);
  /** Outcomes on their way to the grid, per slot, before the worker threads wait for replies. */
  private static final int UNREPORTED_PER_SLOT = 4;

  private final OutcomeReporter reporter;
  private final HandlerRegistry handlers;
  private final Clock clock;
  private final int capacity;
  private final Duration taskTimeout;
  private final RetryBackoff backoff;
  private final Semaphore slots;
  private final Semaphore unreported;
  private final ExecutorService pool;
  // One sweep over the running attempts, every timeoutCheck, interrupts those past the task timeout.
  // A timer per attempt woke this thread for nearly every attempt that started while none was
  // queued (0.66 context switches per REST submission, docs/performance.md), and a cancelled one
  // stayed queued until due unless removed.
  private final ScheduledExecutorService timeouts;
  private final ConcurrentHashMap<String, Execution> executions = new ConcurrentHashMap<>();
  private final List<Runnable> slotListeners = new CopyOnWriteArrayList<>();
  private final MeterRegistry meters;
  private final Counter completed;
  private final Counter failed;

  public Worker(
      OutcomeReporter reporter, HandlerRegistry handlers, TaskGridProperties properties, Clock clock,
      MeterRegistry meters) {
    this.reporter = reporter;
    this.handlers = handlers;
    this.clock = clock;
    this.capacity = properties.capacity();
    this.taskTimeout = properties.taskTimeout();
    this.backoff = new RetryBackoff(properties.retry());
    this.slots = new Semaphore(capacity);
    this.unreported = new Semaphore(capacity * UNREPORTED_PER_SLOT);
    this.pool = Executors.newFixedThreadPool(capacity, named("taskgrid-worker-"));
    this.timeouts = Executors.newSingleThreadScheduledExecutor(named("taskgrid-timeouts-"));
    long check = timeoutCheck(taskTimeout).toNanos();
    timeouts.scheduleWithFixedDelay(this::stopOverdue, check, check, TimeUnit.NANOSECONDS);
    this.meters = meters;
    this.completed = meters.counter("taskgrid.attempts", "outcome", "completed");
    this.failed = meters.counter("taskgrid.attempts", "outcome", "failed");
    meters.gauge("taskgrid.slots.busy", this, Worker::running);
  }

  /** Daemon threads named for what they do, so thread dumps read well. */
  public static ThreadFactory named(String prefix) {
    CustomizableThreadFactory factory = new CustomizableThreadFactory(prefix);
    factory.setDaemon(true);
    return factory;
  }

  /** Called whenever a slot frees up, so the dispatcher can fill it. */
  public void onSlotFreed(Runnable listener) {
    slotListeners.add(listener);
  }

  public int capacity() {
    return capacity;
  }

  /** Handlers running now (attempts whose outcome is on its way to the grid no longer count). */
  public int running() {
    return capacity - slots.availablePermits();
  }

  public int freeSlots() {
    return slots.availablePermits();
  }

  /** Takes up to {@code max} free slots, without waiting; answers how many it took. */
  public int reserve(int max) {
    int taken = 0;
    while (taken < max && slots.tryAcquire()) {
      taken++;
    }
    return taken;
  }

  /** Gives back reserved slots that no task was started in. */
  public void release(int reserved) {
    if (reserved > 0) {
      slots.release(reserved);
      slotListeners.forEach(Runnable::run);
    }
  }

  /** Starts a task this node has claimed, in a slot reserved for it. */
  public void start(TaskRecord claimed) {
    Execution execution = new Execution(claimed);
    executions.put(execution.taskId, execution);
    pool.execute(() -> run(execution));
  }

  /**
   * How often running attempts are checked against the task timeout: a twentieth of it, between
   * 10 ms and 1 s, so an attempt is interrupted at most that long after its timeout.
   */
  static Duration timeoutCheck(Duration taskTimeout) {
    long millis = Math.max(10, Math.min(1_000, taskTimeout.toMillis() / 20));
    return Duration.ofMillis(millis);
  }

  private void stopOverdue() {
    long now = System.nanoTime();
    executions.values().forEach(execution -> execution.stopIfOverdue(now));
  }

  /** The attempts running now. */
  public Collection<Execution> executions() {
    return executions.values();
  }

  /** Interrupts the attempt of {@code taskId} if it runs here. */
  public void stop(String taskId, StopReason reason) {
    Execution execution = executions.get(taskId);
    if (execution != null) {
      execution.stop(reason);
    }
  }

  /**
   * Lets running attempts finish for up to {@code timeout}, then interrupts the rest and hands
   * them back to the grid without counting the attempt. Answers how many were handed back.
   */
  public int drain(Duration timeout) throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (running() > 0 && System.nanoTime() < until) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    int handedBack = running();
    executions.values().forEach(e -> e.stop(StopReason.DRAIN));
    pool.shutdown();
    if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
      log.warn("{} handlers ignored the interrupt while draining; their leases will expire", running());
    }
    // Outcomes still on their way to the grid: let them land, so that none waits for its lease.
    long reportsUntil = System.nanoTime() + REPORT_FLUSH.toNanos();
    while (!executions.isEmpty() && System.nanoTime() < reportsUntil) {
      TimeUnit.MILLISECONDS.sleep(20);
    }
    timeouts.shutdownNow();
    return handedBack;
  }

  private void run(Execution execution) {
    Outcome outcome = execute(execution);
    AttemptReport report = reportFor(execution, outcome);
    if (report == null) {
      executions.remove(execution.taskId, execution);
      freeSlot();
      return;
    }
    // Bounded, so that a grid that stops answering stops this node claiming instead of piling up outcomes.
    unreported.acquireUninterruptibly();
    // The handler has returned: its slot may take the next task while the outcome travels.
    freeSlot();
    reporter.send(execution.taskId, report, (reply, error) -> {
      unreported.release();
      executions.remove(execution.taskId, execution);
      if (error == null) {
        reported(execution, report, reply);
      } else {
        // The grid is unreachable (e.g. this member is shutting down): the lease will expire and
        // the task will run again elsewhere.
        log.warn("Could not report the outcome of task {} attempt {}: {}",
            execution.taskId, execution.attempt, error.toString());
      }
    });
  }

  private void freeSlot() {
    slots.release();
    slotListeners.forEach(Runnable::run);
  }

  private record Outcome(String result, String error, boolean retryable) {}

  private Outcome execute(Execution execution) {
    TaskHandler handler = handlers.find(execution.type).orElse(null);
    if (handler == null) {
      return new Outcome(null, "no handler for task type '" + execution.type + "' (known: " + handlers.types() + ")", false);
    }
    if (!execution.enterHandler(System.nanoTime() + taskTimeout.toNanos())) {
      return new Outcome(null, "stopped before it started", true);
    }
    try {
      String result = handler.handle(new TaskContext(
          execution.taskId, execution.type, execution.payload, execution.attempt, execution.maxAttempts));
      String value = result == null ? "" : result;
      if (value.length() > TaskSpec.MAX_PAYLOAD_BYTES / 3
          && value.getBytes(StandardCharsets.UTF_8).length > TaskSpec.MAX_PAYLOAD_BYTES) {
        return new Outcome(null, "the result is larger than " + TaskSpec.MAX_PAYLOAD_BYTES + " bytes", true);
      }
      return new Outcome(value, null, true);
    } catch (Throwable e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getName();
      return new Outcome(null, message, true);
    } finally {
      execution.exitHandler();
    }
  }

  /** What to tell the grid about this attempt; null when there is nothing to tell. */
  private AttemptReport reportFor(Execution execution, Outcome outcome) {
    StopReason stop = execution.stopReason();
    long now = clock.millis();
    if (stop == StopReason.CANCELLED || stop == StopReason.STALE) {
      return null; // The grid has moved on; there is nothing of this attempt to record.
    } else if (stop == StopReason.DRAIN) {
      return new HandBack(execution.fence, execution.node, now);
    } else if (stop == StopReason.TIMEOUT) {
      return new FailAttempt(execution.fence, execution.node, now,
          "timed out after " + taskTimeout.toMillis() + " ms", now + backoff.delayMillis(execution.attempt), true);
    } else if (outcome.error() == null) {
      return new CompleteAttempt(execution.fence, execution.node, now, outcome.result());
    }
    return new FailAttempt(execution.fence, execution.node, now, outcome.error(),
        now + backoff.delayMillis(execution.attempt), outcome.retryable());
  }

  private void reported(Execution execution, AttemptReport report, Reply reply) {
    if (reply.outcome() == Reply.Outcome.APPLIED) {
      (report instanceof CompleteAttempt ? completed : failed).increment();
    } else {
      countStale(report.getClass().getSimpleName());
      log.info("Ignored a stale report for task {} attempt {} ({}): the grid holds {}",
          execution.taskId, execution.attempt, report.getClass().getSimpleName(), reply.task());
    }
  }

  /** Counts a report the grid refused because its attempt is no longer the running one. */
  public void countStale(String report) {
    meters.counter("taskgrid.reports.stale", "report", report).increment();
  }
}
