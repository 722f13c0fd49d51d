package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A writer that meets another connection's lock keeps trying, often, until the lock is free or its time is up. */
class LockPollingSQLiteDataSourceTest {
  @TempDir
  Path folder;

  private LockPollingSQLiteDataSource database(Duration timeout) {
    Properties pragmas = new Properties();
    pragmas.setProperty("journal_mode", "WAL");
    return new LockPollingSQLiteDataSource("jdbc:sqlite:" + folder.resolve("locks.db"), pragmas, timeout);
  }

  @BeforeEach
  void createTable() throws SQLException {
    try (Connection c = database(Duration.ofSeconds(1)).getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INTEGER)");
    }
  }

  /** Holds the write lock on its own connection until closed. */
  private static Connection holdingTheLock(LockPollingSQLiteDataSource database) throws SQLException {
    Connection holder = database.getConnection();
    try (Statement s = holder.createStatement()) {
      s.execute("BEGIN IMMEDIATE");
      s.execute("INSERT INTO t VALUES (1)");
    }
    return holder;
  }

  private static CompletableFuture<Void> insertLater(LockPollingSQLiteDataSource database) {
    return CompletableFuture.runAsync(() -> {
      try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (2)");
      } catch (SQLException e) {
        throw new IllegalStateException(e.getMessage(), e);
      }
    }, runnable -> new Thread(runnable).start());
  }

  @Test
  void aWriterWaitsForTheLockTryingEveryFractionOfAMillisecondAndWritesOnceItIsFree() throws Exception {
    LockPollingSQLiteDataSource database = database(Duration.ofSeconds(10));
    Connection holder = holdingTheLock(database);
    CompletableFuture<Void> waiter = insertLater(database);

    // SQLite's own busy timeout tries about 14 times in its first 300 ms; this tries every 0.1 ms
    // (more slowly on a busy machine, never as rarely as that).
    await().atMost(Duration.ofSeconds(10)).until(() -> database.retries() >= 100);
    assertThat(waiter).isNotDone();
    try (Statement s = holder.createStatement()) {
      s.execute("COMMIT");
    }
    holder.close();

    waiter.get();
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      var rows = s.executeQuery("SELECT COUNT(*) FROM t");
      rows.next();
      assertThat(rows.getInt(1)).isEqualTo(2);
    }
  }

  @Test
  void aWriterGivesUpWithSqliteBusyOnceItsTimeIsUp() throws Exception {
    LockPollingSQLiteDataSource database = database(Duration.ofMillis(300));
    try (Connection holder = holdingTheLock(database)) {
      long started = System.nanoTime();
      assertThatThrownBy(() -> insertLater(database).join()).hasMessageContaining("SQLITE_BUSY");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }
}
