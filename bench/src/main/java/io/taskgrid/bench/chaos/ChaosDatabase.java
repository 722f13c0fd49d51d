package io.taskgrid.bench.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The database a chaos run's nodes share: the cluster's own SQLite file, or a PostgreSQL server
 * that {@code scripts/test-postgres.sh} started and can stop and start again, for outages.
 */
final class ChaosDatabase {
  private final Path root;
  // Null for the SQLite file.
  private final Server postgres;

  /** Where a PostgreSQL server listens, and as whom the nodes log in. */
  private record Server(String url, String username, String password) {}

  private ChaosDatabase(Path root, Server postgres) {
    this.root = root;
    this.postgres = postgres;
  }

  /** The SQLite file of the cluster's run folder; it never goes away. */
  static ChaosDatabase sqlite(Path root) {
    return new ChaosDatabase(root, null);
  }

  /**
   * The PostgreSQL server named by the environment {@code scripts/test-postgres.sh start} prints
   * ({@code TASKGRID_TEST_POSTGRES_URL}, {@code _USER}, {@code _PASSWORD}).
   */
  static ChaosDatabase postgres(Path root, Map<String, String> env) {
    String url = env.get("TASKGRID_TEST_POSTGRES_URL");
    if (url == null || url.isBlank()) {
      throw new IllegalArgumentException("--postgres needs TASKGRID_TEST_POSTGRES_URL, _USER and _PASSWORD "
          + "(scripts/chaos.sh --postgres starts a server and sets them)");
    }
    return new ChaosDatabase(root, new Server(url, env.getOrDefault("TASKGRID_TEST_POSTGRES_USER", ""),
        env.getOrDefault("TASKGRID_TEST_POSTGRES_PASSWORD", "")));
  }

  /** Whether {@link #stop} and {@link #resume} can take it away and bring it back. */
  boolean canFail() {
    return postgres != null;
  }

  /** Node arguments that point a node at it; none for the cluster's own SQLite file. */
  List<String> nodeArgs() {
    if (postgres == null) {
      return List.of();
    }
    return List.of("--taskgrid.persistence.url=" + postgres.url(),
        "--taskgrid.persistence.username=" + postgres.username(),
        "--taskgrid.persistence.password=" + postgres.password());
  }

  /** Stops the server (fast shutdown: open transactions are rolled back, connections closed). */
  void stop() throws IOException, InterruptedException {
    run("stop");
  }

  /** Starts the stopped server again, with its data. */
  void resume() throws IOException, InterruptedException {
    run("resume");
  }

  @Override
  public String toString() {
    return postgres == null ? "SQLite" : "PostgreSQL " + postgres.url();
  }

  private void run(String command) throws IOException, InterruptedException {
    // The script finds the server by TASKGRID_TEST_POSTGRES_PORT and _DATA, inherited from chaos.sh.
    Process process = new ProcessBuilder("bash", root.resolve("scripts/test-postgres.sh").toString(), command)
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (process.waitFor() != 0) {
      throw new IllegalStateException("scripts/test-postgres.sh " + command + " failed (exit " + process.exitValue() + ")");
    }
  }
}
