package io.taskgrid.grid;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stamps submissions with a sequence number that orders tasks of equal priority and deadline:
 * microseconds of the wall clock, bumped by one when two submissions fall in the same tick, so it
 * is strictly increasing in one JVM and roughly comparable across JVMs.
 */
public final class SubmissionClock {
  private final Clock clock;
  // Shared by every submitting thread of this JVM: atomic so that no two submissions get the same number.
  private final AtomicLong last = new AtomicLong();

  public SubmissionClock(Clock clock) {
    this.clock = clock;
  }

  /** The time of a submission, in epoch milliseconds. */
  public long millis() {
    return clock.millis();
  }

  /** The next sequence number, at or after {@code millis * 1000}. */
  public long nextSeq(long millis) {
    long micros = millis * 1000;
    return last.accumulateAndGet(micros, (prev, now) -> Math.max(prev + 1, now));
  }
}
