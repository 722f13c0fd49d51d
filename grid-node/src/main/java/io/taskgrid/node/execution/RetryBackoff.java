package io.taskgrid.node.execution;

import io.taskgrid.node.config.TaskGridProperties;
import java.time.Duration;

/** Exponential backoff between failed attempts: {@code base * 2^(attempt-1)}, capped. */
record RetryBackoff(Duration base, Duration max) {
  RetryBackoff(TaskGridProperties.Retry retry) {
    this(retry.base(), retry.max());
  }

  /** How long to wait after attempt number {@code attempt} (from 1) failed. */
  long delayMillis(int attempt) {
    int doublings = Math.min(Math.max(attempt - 1, 0), 30);
    long delay = base.toMillis() << doublings;
    return Math.min(delay < 0 ? Long.MAX_VALUE : delay, max.toMillis());
  }
}
