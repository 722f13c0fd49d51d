package io.taskgrid.node.execution;

import io.taskgrid.grid.TaskRecord;
import java.nio.charset.StandardCharsets;

/**
 * One attempt running on this node: the claimed task, its fencing token, and the thread running
 * its handler so that it can be interrupted.
 */
final class Execution {
  /** Why an attempt was stopped from outside its handler. */
  enum StopReason {
    /** The user cancelled the task; the grid already says CANCELLED. */
    CANCELLED,
    /** The grid no longer holds this attempt (lease lost, task requeued elsewhere). */
    STALE,
    /** The attempt ran past the task timeout; it counts as failed. */
    TIMEOUT,
    /** This node is leaving; the task goes back without counting the attempt. */
    DRAIN
  }

  final String taskId;
  final String type;
  final String payload;
  final long fence;
  final String node;
  final int attempt;
  final int maxAttempts;

  // Guarded by this: the interrupt must only reach the thread while it runs the handler, never
  // while it reports the outcome to the grid.
  private Thread handlerThread;
  private StopReason stopReason;
  private long deadlineNanos;

  Execution(TaskRecord claimed) {
    this.taskId = claimed.getId();
    this.type = claimed.getType();
    this.payload = new String(claimed.getPayload(), StandardCharsets.UTF_8);
    this.fence = claimed.getFence();
    this.node = claimed.getNode();
    this.attempt = claimed.getAttempts();
    this.maxAttempts = claimed.getMaxAttempts();
  }

  /**
   * Marks the handler as started on the current thread, to be stopped for {@link StopReason#TIMEOUT}
   * once {@link System#nanoTime()} reaches {@code deadlineNanos}; false if the attempt was stopped
   * already.
   */
  synchronized boolean enterHandler(long deadlineNanos) {
    handlerThread = Thread.currentThread();
    this.deadlineNanos = deadlineNanos;
    return stopReason == null;
  }

  /** Stops the attempt for {@link StopReason#TIMEOUT} if its handler still runs at {@code nowNanos}, past its deadline. */
  synchronized void stopIfOverdue(long nowNanos) {
    if (handlerThread != null && nowNanos - deadlineNanos >= 0) {
      stop(StopReason.TIMEOUT);
    }
  }

  /** Marks the handler as returned; clears an interrupt that arrived too late to matter. */
  synchronized void exitHandler() {
    handlerThread = null;
    Thread.interrupted();
  }

  /** Stops the attempt for {@code reason}; the first reason wins. */
  synchronized void stop(StopReason reason) {
    if (stopReason == null) {
      stopReason = reason;
      if (handlerThread != null) {
        handlerThread.interrupt();
      }
    }
  }

  synchronized StopReason stopReason() {
    return stopReason;
  }
}
