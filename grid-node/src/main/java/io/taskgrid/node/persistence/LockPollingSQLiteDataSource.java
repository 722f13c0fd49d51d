package io.taskgrid.node.persistence;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.sqlite.BusyHandler;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;
import org.sqlite.SQLiteDataSource;

/**
 * SQLite connections that, finding the database locked by another writer (another node JVM on the
 * same file, or this node's write-behind), try again every {@value #POLL_MICROS} µs until the
 * timeout, instead of with SQLite's own busy timeout. That one sleeps 1, 2, 5, 10, 15, 20, 25 ms
 * and so on between tries: a writer that meets a lock held for 9 ms more gets it after 18, and one
 * that loses it to other writers in between sleeps 20 ms and more at a time.
 * In wall-clock profiles of three nodes taking 1,000 REST submissions/s (25 s), the journals'
 * group-commit heads, behind which every caller of their node waits, spent 5.6 s waiting while all
 * writers together held the lock 2.6 s; polling, 3.3 s against 2.0 s (docs/performance.md). A try
 * costs a few microseconds: one attempt at a file lock.
 */
final class LockPollingSQLiteDataSource extends SQLiteDataSource {
  static final long POLL_MICROS = 100;

  private final Duration timeout;
  // Tries of every connection together; a sum, read only by tests and diagnostics.
  private final LongAdder tries = new LongAdder();

  /**
   * @param url the {@code jdbc:sqlite:} URL
   * @param pragmas SQLite settings by their {@link SQLiteConfig} names (journal_mode, synchronous...)
   * @param timeout how long a statement waits for a lock before it fails with SQLITE_BUSY
   */
  LockPollingSQLiteDataSource(String url, Properties pragmas, Duration timeout) {
    super(new SQLiteConfig(pragmas));
    setUrl(url);
    this.timeout = timeout;
  }

  @Override
  public SQLiteConnection getConnection(String username, String password) throws SQLException {
    SQLiteConnection connection = super.getConnection(username, password);
    // Replaces any busy timeout: SQLite keeps one busy handler per connection.
    BusyHandler.setHandler(connection, new LockPoller(timeout.toNanos(), tries));
    return connection;
  }

  /** How many times this data source's connections have tried a lock again. */
  long retries() {
    return tries.sum();
  }

  /**
   * One connection's busy handler. SQLite calls it on the thread using the connection (one at a
   * time, as a JDBC connection is used), with 0 at the start of each wait; hence the plain field.
   */
  private static final class LockPoller extends BusyHandler {
    private final long timeoutNanos;
    private final LongAdder tries;
    private long waitStarted;

    LockPoller(long timeoutNanos, LongAdder tries) {
      this.timeoutNanos = timeoutNanos;
      this.tries = tries;
    }

    @Override
    protected int callback(int triesSoFar) {
      long now = System.nanoTime();
      if (triesSoFar == 0) {
        waitStarted = now;
      } else if (now - waitStarted >= timeoutNanos) {
        return 0; // give up: the statement fails with SQLITE_BUSY
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(POLL_MICROS));
      tries.increment();
      return 1;
    }
  }
}
