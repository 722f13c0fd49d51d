package io.taskgrid.bench.workload;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Polling waits for the benchmark driver (not a test: it waits on a live cluster it drives). */
public final class Waits {
  private Waits() {}

  static void until(String what, Duration timeout, long pollMillis, BooleanSupplier done) {
    long until = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      pause(pollMillis);
    }
  }

  /** Sleeps; an interrupt ends the benchmark. */
  public static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
