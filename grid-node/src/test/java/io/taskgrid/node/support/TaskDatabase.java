package io.taskgrid.node.support;

import io.taskgrid.grid.TaskRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A fresh, empty task database for one test: an SQLite file in a new folder, or a new schema on
 * the PostgreSQL server named by {@code TASKGRID_TEST_POSTGRES_URL} (with {@code _USER} and
 * {@code _PASSWORD}; {@code .ci/run} starts one). The SQLite folders are deleted when the test
 * JVM exits, after the nodes that used them (in this JVM or killed child JVMs) are gone.
 */
public record TaskDatabase(String kind, String url, String username, String password) {
  private static final String POSTGRES_URL = System.getenv("TASKGRID_TEST_POSTGRES_URL");
  /** The SQLite folders made by this JVM; a CI run made about 30 and left them all in /tmp before. */
  private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();

  static {
    // -Dtaskgrid.test.keep-databases=true keeps them, to look into a failed test's rows.
    if (!Boolean.getBoolean("taskgrid.test.keep-databases")) {
      Runtime.getRuntime().addShutdownHook(new Thread(() -> FOLDERS.forEach(TaskDatabase::deleteQuietly),
          "taskgrid-test-db-cleanup"));
    }
  }

  /** The databases to test against here: SQLite always, PostgreSQL when a server is given. */
  public static List<TaskDatabase> available() {
    List<TaskDatabase> databases = new ArrayList<>(List.of(sqlite()));
    if (POSTGRES_URL != null && !POSTGRES_URL.isBlank()) {
      databases.add(postgres());
    }
    return databases;
  }

  public static TaskDatabase sqlite() {
    try {
      Path folder = Files.createTempDirectory("taskgrid-db");
      FOLDERS.add(folder);
      return new TaskDatabase("sqlite", "jdbc:sqlite:" + folder.resolve("taskgrid.db"), null, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Runs {@code scripts/test-postgres.sh command} ({@code stop} or {@code resume}) on the test
   * server: tests that take it away are tagged "alone", to run after those that share it.
   */
  public static void postgresServer(String command) {
    try {
      Process process = new ProcessBuilder("bash", Path.of("..", "scripts", "test-postgres.sh").toString(), command)
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (process.waitFor() != 0) {
        throw new IllegalStateException("test-postgres.sh " + command + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void deleteQuietly(Path folder) {
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // Left behind in the temporary folder: nothing to do at exit.
    }
  }

  public static TaskDatabase postgres() {
    String user = System.getenv("TASKGRID_TEST_POSTGRES_USER");
    String password = System.getenv("TASKGRID_TEST_POSTGRES_PASSWORD");
    String schema = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    try (Connection admin = DriverManager.getConnection(POSTGRES_URL, user, password)) {
      admin.createStatement().execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot prepare a schema on " + POSTGRES_URL, e);
    }
    String separator = POSTGRES_URL.contains("?") ? "&" : "?";
    return new TaskDatabase("postgresql", POSTGRES_URL + separator + "currentSchema=" + schema, user, password);
  }

  /** Node arguments that point a node at this database. */
  public List<String> nodeArgs() {
    List<String> args = new ArrayList<>(List.of("--taskgrid.persistence.enabled=true", "--taskgrid.persistence.url=" + url));
    if (username != null) {
      args.add("--taskgrid.persistence.username=" + username);
      args.add("--taskgrid.persistence.password=" + password);
    }
    return args;
  }

  /** Points the nodes of an in-JVM cluster at this database. */
  public TestCluster configure(TestCluster cluster) {
    cluster.with("taskgrid.persistence.enabled", true).with("taskgrid.persistence.url", url);
    if (username != null) {
      cluster.with("taskgrid.persistence.username", username).with("taskgrid.persistence.password", password);
    }
    return cluster;
  }

  /** Every stored task, read with plain JDBC. */
  public Map<String, TaskRecord> records() throws SQLException {
    Map<String, TaskRecord> records = new HashMap<>();
    try (Connection db = DriverManager.getConnection(url, username, password);
        ResultSet rows = db.createStatement().executeQuery("SELECT record FROM taskgrid_tasks")) {
      while (rows.next()) {
        TaskRecord task = TaskRecord.fromBytes(rows.getBytes(1));
        records.put(task.getId(), task);
      }
    }
    return records;
  }

  /** Status of each of these tasks that is stored, by id. */
  public Map<String, String> statuses(List<String> ids) throws SQLException {
    Map<String, String> statuses = new HashMap<>();
    records().forEach((id, task) -> {
      if (ids.contains(id)) {
        statuses.put(id, task.getStatus().name());
      }
    });
    return statuses;
  }

  @Override
  public String toString() {
    return kind;
  }
}
