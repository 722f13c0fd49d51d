package io.taskgrid.node.persistence;

import com.hazelcast.map.MapStore;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.FreshLoads;
import io.taskgrid.grid.IncomingTasks;
import io.taskgrid.grid.SubmissionJournal;
import io.taskgrid.grid.TaskArchive;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.WriteThrough;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.persistence.WriteTimers.Kind;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the task map in a relational database (SQLite or PostgreSQL; the SQL is common to both).
 * Hazelcast calls it on the partition owner: {@code storeAll} with the changes of the last second,
 * coalesced and batched (write-behind), and {@code loadAllKeys} when the cluster starts (the
 * unfinished tasks only; finished ones load on demand). A new task does not wait for that: it is
 * written at once, as the {@link SubmissionJournal}, before its submission is acknowledged; so is
 * a cancel, before it takes effect ({@link WriteThrough}).
 *
 * <p>The submit processor that follows the journal finds no entry in the map, so Hazelcast loads
 * the key, which would read back the row just written. The rows this store inserted are kept at
 * hand until their submit processors have run ({@link #entered}), and the load takes them from
 * there: the same bytes, without a query. On another owner, and on the backup, the load takes the
 * tasks the submit processor is about to enter ({@link IncomingTasks}).
 *
 * <p>A member that leaves gracefully flushes what it still has queued after its partitions have
 * moved, so its older copy of a task can arrive after the new owner's newer one: a row is only
 * replaced by a record at least as far along ({@link TaskRecord#progress()}).
 */
public class TaskMapStore implements MapStore<String, TaskRecord>, SubmissionJournal, WriteThrough, TaskArchive {
  private static final Logger log = LoggerFactory.getLogger(TaskMapStore.class);
  private static final String INSERT =
      "INSERT INTO taskgrid_tasks (id, status, finished_at, record, progress) VALUES (?, ?, ?, ?, ?) ";
  // A row moves only forward (V4 migration): a record less far along than the row is an older copy,
  // stored late by a member that has handed its partition over, and is not written
  // (docs/design.md, "Persistence").
  private static final String UPSERT = INSERT + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
      + "finished_at = excluded.finished_at, record = excluded.record, progress = excluded.progress "
      + "WHERE taskgrid_tasks.progress <= excluded.progress";
  // The journal's insert also names the member that journals the row (V3 migration).
  private static final String INSERT_IF_ABSENT = "INSERT INTO taskgrid_tasks (id, status, finished_at, record, "
      + "progress, journaled_by) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING";
  private static final int LOAD_CHUNK = 500;
  // Both go through the index on finished_at (V2 migration): a task has finished_at 0 exactly while
  // it is unfinished (PENDING or RUNNING). The deletion runs once per sweep pass holding the write
  // lock, which with SQLite every node's journal waits for; a scan of 1,000,000 rows held it
  // 175-267 ms, the index range 0.3-1.3 ms (docs/performance.md).
  static final String UNFINISHED_IDS = "SELECT id FROM taskgrid_tasks WHERE finished_at = 0";
  static final String DELETE_FINISHED_BEFORE = "DELETE FROM taskgrid_tasks WHERE finished_at > 0 AND finished_at < ?";
  // Through the same index; run when a member leaves, not per task.
  static final String PENDING_JOURNALED_BY =
      "SELECT id FROM taskgrid_tasks WHERE finished_at = 0 AND status = 'PENDING' AND journaled_by = ?";

  // Rows a PostgreSQL listing fetches at a time: the driver otherwise reads all its rows at once,
  // payloads of up to 1 MiB included, before the first is looked at.
  private static final int LISTING_FETCH = 8;

  private final HikariDataSource dataSource;
  // Rows this store has just inserted, by id, until their submit processor has loaded them or has
  // run ({@link #entered}). Shared by the journal's writer thread (puts) and Hazelcast's threads
  // (loads, removals), hence concurrent; never holds more than the submissions in flight.
  private final Map<String, byte[]> justInserted = new ConcurrentHashMap<>();
  // Keys read from the database by loads, from any Hazelcast thread; a counter only.
  private final LongAdder databaseLoads = new LongAdder();

  private final boolean sqlite;
  private final WriteTimers timers;
  // Who journals: the local member's current UUID, set once the member exists (the map store is
  // built before it, for its config); null until then, and in tests of the store alone. Volatile:
  // set on the starting thread, read by the journal's writers.
  private volatile Supplier<String> journalingMember = () -> null;

  /**
   * {@code sqlite}: whether the database is a SQLite file, whose write transactions begin by
   * statement; {@code meters} gets the write transactions' timers ({@link WriteTimers}).
   */
  public TaskMapStore(HikariDataSource dataSource, boolean sqlite, MeterRegistry meters) {
    this.dataSource = dataSource;
    this.sqlite = sqlite;
    this.timers = new WriteTimers(meters, sqlite);
  }

  @Override
  public void store(String key, TaskRecord value) {
    storeAll(Map.of(key, value));
  }

  /**
   * Names the member whose journal this is, read at each write: Hazelcast gives a member a new UUID
   * when it merges back after a split.
   */
  public void journalAs(Supplier<String> member) {
    this.journalingMember = member;
  }

  @Override
  public Set<String> recordIfAbsent(Collection<TaskRecord> candidates) {
    List<Row> rows = rows(candidates);
    int[] inserted = write(Kind.JOURNAL, INSERT_IF_ABSENT, rows, journalingMember.get());
    // Committed. A count of 1 is a row this call inserted; 0 an id already stored (its row stays
    // as it was, and the load must read that); a driver that reports no counts keeps nothing.
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < rows.size() && i < inserted.length; i++) {
      if (inserted[i] == 1) {
        Row row = rows.get(i);
        justInserted.put(row.id(), row.record());
        ids.add(row.id());
      }
    }
    return ids;
  }

  @Override
  public void entered(Collection<String> ids) {
    ids.forEach(justInserted::remove);
  }

  @Override
  public void storeAll(Map<String, TaskRecord> tasks) {
    upsert(Kind.WRITE_BEHIND, tasks.values());
  }

  /** A cancel, before it takes effect: the same upsert as write-behind's, in a transaction of its own. */
  @Override
  public void storeNow(TaskRecord task) {
    upsert(Kind.WRITE_THROUGH, List.of(task));
  }

  private void upsert(Kind kind, Collection<TaskRecord> tasks) {
    List<Row> rows = rows(tasks);
    int[] written = write(kind, UPSERT, rows, null);
    if (log.isDebugEnabled()) {
      for (int i = 0; i < rows.size() && i < written.length; i++) {
        if (written[i] == 0) {
          log.debug("Kept the row of task {}: further along than this member's copy ({})", rows.get(i).id(),
              rows.get(i).status());
        }
      }
    }
  }

  /** A task's row, serialized. */
  private record Row(String id, String status, long finishedAt, byte[] record, long progress) {}

  private static List<Row> rows(Collection<TaskRecord> tasks) {
    List<Row> rows = new ArrayList<>(tasks.size());
    for (TaskRecord task : tasks) {
      rows.add(new Row(task.getId(), task.getStatus().name(), task.getFinishedAt(), task.toBytes(),
          task.progress()));
    }
    return rows;
  }

  /**
   * Writes the rows in one transaction; answers the update count of each. They come serialized
   * because the transaction holds the database's write lock — with SQLite the only one, for
   * every node that shares the file — so only the statements run inside it.
   */
  private int[] write(Kind kind, String sql, List<Row> rows, String journaledBy) {
    int[][] counts = new int[1][];
    inTransaction(kind, connection -> {
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        for (Row row : rows) {
          statement.setString(1, row.id());
          statement.setString(2, row.status());
          statement.setLong(3, row.finishedAt());
          statement.setBytes(4, row.record());
          statement.setLong(5, row.progress());
          if (kind == Kind.JOURNAL) {
            statement.setString(6, journaledBy);
          }
          statement.addBatch();
        }
        counts[0] = statement.executeBatch();
      }
    });
    return counts[0];
  }

  @Override
  public void delete(String key) {
    deleteAll(List.of(key));
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    inTransaction(Kind.WRITE_BEHIND, connection -> {
      try (PreparedStatement delete = connection.prepareStatement("DELETE FROM taskgrid_tasks WHERE id = ?")) {
        for (String key : keys) {
          delete.setString(1, key);
          delete.addBatch();
        }
        delete.executeBatch();
      }
    });
  }

  @Override
  public TaskRecord load(String key) {
    TaskRecord task = loadAll(List.of(key)).get(key);
    if (task != null) {
      FreshLoads.loaded(key);
    }
    return task;
  }

  @Override
  public Map<String, TaskRecord> loadAll(Collection<String> keys) {
    Map<String, TaskRecord> found = new HashMap<>();
    List<String> toQuery = new ArrayList<>(keys.size());
    for (String key : keys) {
      TaskRecord atHand = atHand(key);
      if (atHand != null) {
        found.put(key, atHand);
      } else {
        toQuery.add(key);
      }
    }
    databaseLoads.add(toQuery.size());
    for (int from = 0; from < toQuery.size(); from += LOAD_CHUNK) {
      List<String> chunk = toQuery.subList(from, Math.min(toQuery.size(), from + LOAD_CHUNK));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
      query("SELECT record FROM taskgrid_tasks WHERE id IN (" + marks + ")", chunk, rows -> {
        TaskRecord task = TaskRecord.fromBytes(rows.getBytes(1));
        found.put(task.getId(), task);
      });
    }
    return found;
  }

  /** How many keys this store's loads have read from the database (not answered from memory). */
  public long databaseLoads() {
    return databaseLoads.sum();
  }

  /**
   * A task known without a query, taken once: a row this store has just inserted (the owner's
   * load before its submit processor), or one a backup's submit processor is about to enter.
   */
  private TaskRecord atHand(String key) {
    byte[] row = justInserted.remove(key);
    return row != null ? TaskRecord.fromBytes(row) : IncomingTasks.take(key);
  }

  /** The unfinished tasks: what the cluster needs in memory to run them. Finished ones load when asked for. */
  @Override
  public Iterable<String> loadAllKeys() {
    return unfinishedIds(id -> true);
  }

  /** The ids of the unfinished tasks that {@code wanted} accepts: only those are kept, however many rows there are. */
  public List<String> unfinishedIds(Predicate<String> wanted) {
    List<String> ids = new ArrayList<>();
    query(UNFINISHED_IDS, List.of(), rows -> {
      String id = rows.getString(1);
      if (wanted.test(id)) {
        ids.add(id);
      }
    });
    return ids;
  }

  /**
   * The ids of the tasks this member's journal inserted that are still PENDING in the database:
   * those it entered and nobody has claimed since, and any it journaled but never entered.
   */
  public List<String> pendingJournaledBy(String member) {
    List<String> ids = new ArrayList<>();
    query(PENDING_JOURNALED_BY, List.of(member), rows -> ids.add(rows.getString(1)));
    return ids;
  }

  /**
   * A listing's query of finished tasks in id order after a cursor (parameters: the status if
   * {@code withStatus}, the cursor, the limit), through the V6 migration's partial indexes of
   * finished rows. PostgreSQL compares ids in the "C" collation, as Java and SQLite do, whatever
   * the database's own.
   */
  static String finishedAfter(boolean sqlite, boolean withStatus) {
    String id = sqlite ? "id" : "id COLLATE \"C\"";
    return "SELECT record FROM taskgrid_tasks WHERE finished_at > 0" + (withStatus ? " AND status = ?" : "")
        + " AND " + id + " > ? ORDER BY " + id + " LIMIT ?";
  }

  /**
   * The first finished tasks after {@code after}, as {@link TaskArchive} says. Rows are read one by
   * one and their payloads dropped, so a page of large tasks passes through a small window.
   */
  @Override
  public List<TaskRecord> finished(String after, TaskStatus status, int limit, long maxBytes) {
    String sql = finishedAfter(sqlite, status != null);
    List<TaskRecord> found = new ArrayList<>();
    try (Connection connection = dataSource.getConnection()) {
      // PostgreSQL streams rows only inside a transaction; the pool resets auto-commit on return.
      connection.setAutoCommit(sqlite);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int column = 1;
        if (status != null) {
          statement.setString(column++, status.name());
        }
        statement.setString(column++, after == null ? "" : after);
        statement.setInt(column, limit);
        statement.setFetchSize(LISTING_FETCH);
        long bytes = 0;
        try (ResultSet rows = statement.executeQuery()) {
          while (bytes < maxBytes && rows.next()) {
            TaskRecord task = TaskRecord.fromBytes(rows.getBytes(1)).withoutPayload();
            bytes += task.viewBytes();
            found.add(task);
          }
        }
      } finally {
        if (!sqlite) {
          connection.rollback();
        }
      }
    } catch (SQLException e) {
      throw new TaskStoreUnavailableException("could not read tasks from the database: " + e.getMessage(), e);
    }
    return found;
  }

  /** Deletes tasks that finished before {@code cutoff} (epoch ms); answers how many. */
  public int deleteFinishedBefore(long cutoff) {
    int[] deleted = new int[1];
    inTransaction(Kind.RETENTION, connection -> {
      try (PreparedStatement delete =
          connection.prepareStatement(DELETE_FINISHED_BEFORE)) {
        delete.setLong(1, cutoff);
        deleted[0] = delete.executeUpdate();
      }
    });
    return deleted[0];
  }

  private interface SqlWork {
    void run(Connection connection) throws SQLException;
  }

  private interface RowReader {
    void read(ResultSet rows) throws SQLException;
  }

  private void inTransaction(Kind kind, SqlWork work) {
    try (Connection connection = dataSource.getConnection()) {
      if (sqlite) {
        inSqliteTransaction(kind, connection, work);
      } else {
        connection.setAutoCommit(false);
        long begun = System.nanoTime();
        try {
          work.run(connection);
          connection.commit();
          timers.transaction(kind, System.nanoTime() - begun);
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      }
    } catch (SQLException e) {
      throw new TaskStoreUnavailableException("could not write tasks to the database: " + e.getMessage(), e);
    }
  }

  /**
   * A SQLite write transaction, begun and ended by statements on a connection left in auto-commit.
   * The driver's own transactions (auto-commit off) begin the next transaction as soon as one
   * commits, which with {@code IMMEDIATE} takes the file's one write lock a second time, waiting
   * for it while every node's writers queue, until the pool turns auto-commit back on; here the
   * lock is taken once, at {@code BEGIN IMMEDIATE}, and the pool has nothing to reset.
   */
  private void inSqliteTransaction(Kind kind, Connection connection, SqlWork work) throws SQLException {
    try (Statement control = connection.createStatement()) {
      long asked = System.nanoTime();
      try {
        control.execute("BEGIN IMMEDIATE");
      } finally {
        // A begin that gave up after the busy timeout waited longest of all: timed too.
        timers.lockWait(kind, System.nanoTime() - asked);
      }
      long begun = System.nanoTime();
      try {
        work.run(connection);
        control.execute("COMMIT");
        timers.transaction(kind, System.nanoTime() - begun);
      } catch (SQLException | RuntimeException e) {
        try {
          control.execute("ROLLBACK");
        } catch (SQLException rollbackFailed) {
          // Maybe still inside the transaction: the connection must not go back to the pool
          // holding the write lock, so the pool closes it instead (which releases the lock).
          e.addSuppressed(rollbackFailed);
          dataSource.evictConnection(connection);
        }
        throw e;
      }
    }
  }

  private void query(String sql, List<String> parameters, RowReader reader) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.size(); i++) {
        statement.setString(i + 1, parameters.get(i));
      }
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          reader.read(rows);
        }
      }
    } catch (SQLException e) {
      throw new TaskStoreUnavailableException("could not read tasks from the database: " + e.getMessage(), e);
    }
  }
}
