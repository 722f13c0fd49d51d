package io.taskgrid.node.persistence;

import com.hazelcast.map.MapStore;
import io.taskgrid.grid.SubmissionJournal;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.model.TaskStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.sql.DataSource;

/**
 * Keeps the task map in a relational database (SQLite or PostgreSQL; the SQL is common to both).
 * Hazelcast calls it on the partition owner: {@code storeAll} with the changes of the last second,
 * coalesced and batched (write-behind), and {@code loadAllKeys} when the cluster starts (the
 * unfinished tasks only; finished ones load on demand). A new task does not wait for that: it is
 * written at once, as the {@link SubmissionJournal}, before its submission is acknowledged.
 */
public class TaskMapStore implements MapStore<String, TaskRecord>, SubmissionJournal {
  private static final String INSERT = "INSERT INTO taskgrid_tasks (id, status, finished_at, record) VALUES (?, ?, ?, ?) ";
  private static final String UPSERT = INSERT + "ON CONFLICT (id) DO UPDATE SET status = excluded.status, "
      + "finished_at = excluded.finished_at, record = excluded.record";
  private static final String INSERT_IF_ABSENT = INSERT + "ON CONFLICT (id) DO NOTHING";
  private static final int LOAD_CHUNK = 500;

  private final DataSource dataSource;

  public TaskMapStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void store(String key, TaskRecord value) {
    storeAll(Map.of(key, value));
  }

  @Override
  public Set<TaskRecord> recordIfAbsent(Collection<TaskRecord> candidates) {
    int[][] counts = new int[1][];
    inTransaction(connection -> {
      try (PreparedStatement insert = connection.prepareStatement(INSERT_IF_ABSENT)) {
        for (TaskRecord task : candidates) {
          bind(insert, task);
          insert.addBatch();
        }
        counts[0] = insert.executeBatch();
      }
    });
    // A count of 1 is a row this call inserted; 0 an id already stored, whose row stays as it was.
    // A driver that reports no counts (Statement.SUCCESS_NO_INFO) claims none.
    Set<TaskRecord> inserted = Collections.newSetFromMap(new IdentityHashMap<>());
    int i = 0;
    for (TaskRecord task : candidates) {
      if (i < counts[0].length && counts[0][i] == 1) {
        inserted.add(task);
      }
      i++;
    }
    return inserted;
  }

  private static void bind(PreparedStatement statement, TaskRecord task) throws SQLException {
    statement.setString(1, task.getId());
    statement.setString(2, task.getStatus().name());
    statement.setLong(3, task.getFinishedAt());
    statement.setBytes(4, task.toBytes());
  }

  @Override
  public void storeAll(Map<String, TaskRecord> tasks) {
    inTransaction(connection -> {
      try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
        for (TaskRecord task : tasks.values()) {
          bind(upsert, task);
          upsert.addBatch();
        }
        upsert.executeBatch();
      }
    });
  }

  @Override
  public void delete(String key) {
    deleteAll(List.of(key));
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    inTransaction(connection -> {
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
    return loadAll(List.of(key)).get(key);
  }

  @Override
  public Map<String, TaskRecord> loadAll(Collection<String> keys) {
    Map<String, TaskRecord> found = new HashMap<>();
    List<String> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += LOAD_CHUNK) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + LOAD_CHUNK));
      String marks = String.join(",", Collections.nCopies(chunk.size(), "?"));
      query("SELECT record FROM taskgrid_tasks WHERE id IN (" + marks + ")", chunk, rows -> {
        TaskRecord task = TaskRecord.fromBytes(rows.getBytes(1));
        found.put(task.getId(), task);
      });
    }
    return found;
  }

  /** The unfinished tasks: what the cluster needs in memory to run them. Finished ones load when asked for. */
  @Override
  public Iterable<String> loadAllKeys() {
    List<String> ids = new ArrayList<>();
    query("SELECT id FROM taskgrid_tasks WHERE status IN (?, ?)",
        List.of(TaskStatus.PENDING.name(), TaskStatus.RUNNING.name()), rows -> ids.add(rows.getString(1)));
    return ids;
  }

  /** Deletes tasks that finished before {@code cutoff} (epoch ms); answers how many. */
  public int deleteFinishedBefore(long cutoff) {
    int[] deleted = new int[1];
    inTransaction(connection -> {
      try (PreparedStatement delete =
          connection.prepareStatement("DELETE FROM taskgrid_tasks WHERE finished_at > 0 AND finished_at < ?")) {
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

  private void inTransaction(SqlWork work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        work.run(connection);
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new TaskStoreUnavailableException("could not write tasks to the database: " + e.getMessage(), e);
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
