package io.taskgrid.node.persistence;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Times the database's write transactions by what they write (tag {@code kind}: {@code journal},
 * {@code write-behind} or {@code retention}). {@code taskgrid.database.transaction} is how long each
 * ran from its begin to its commit: with SQLite, how long it held the file's one write lock, which
 * every node's journal — every acknowledgement — waits for. {@code taskgrid.database.lock.wait}
 * (SQLite only) is how long its begin waited for that lock. Together with {@code
 * taskgrid.journal.wait} they tell who made a submission wait (docs/performance.md).
 */
final class WriteTimers {
  /**
   * Histogram bounds of the persistence's waits, this class's timers and the journal's alike, so
   * that they read side by side: what shows in a submission's p99 is the share past 10 or 20 ms,
   * which a mean of 1-2 ms hides (docs/performance-history.md, session 19).
   */
  static final Duration[] WAIT_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(20), Duration.ofMillis(50)};

  /** What a transaction writes. */
  enum Kind {
    /** New tasks, before they are acknowledged. */
    JOURNAL("journal"),
    /** Hazelcast's coalesced changes of state (and removals). */
    WRITE_BEHIND("write-behind"),
    /** A change stored before it takes effect: a cancel. */
    WRITE_THROUGH("write-through"),
    /** The deletion of tasks finished longer ago than the retention. */
    RETENTION("retention");

    private final String tag;

    Kind(String tag) {
      this.tag = tag;
    }
  }

  private final Map<Kind, Timer> transactions = new EnumMap<>(Kind.class);
  private final Map<Kind, Timer> lockWaits = new EnumMap<>(Kind.class);

  WriteTimers(MeterRegistry meters, boolean sqlite) {
    for (Kind kind : Kind.values()) {
      transactions.put(kind, timer("taskgrid.database.transaction",
          "time a write transaction ran, begun to committed (with SQLite: held the file's write lock)", kind, meters));
      if (sqlite) {
        lockWaits.put(kind, timer("taskgrid.database.lock.wait",
            "time a write transaction's begin waited for the SQLite file's write lock", kind, meters));
      }
    }
  }

  private static Timer timer(String name, String description, Kind kind, MeterRegistry meters) {
    return Timer.builder(name)
        .description(description)
        .tag("kind", kind.tag)
        .serviceLevelObjectives(WAIT_BUCKETS)
        .register(meters);
  }

  void transaction(Kind kind, long nanos) {
    transactions.get(kind).record(nanos, TimeUnit.NANOSECONDS);
  }

  void lockWait(Kind kind, long nanos) {
    Timer timer = lockWaits.get(kind);
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }
}
