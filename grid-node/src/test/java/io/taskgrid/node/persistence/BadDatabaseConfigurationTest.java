package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.taskgrid.node.GridNodeApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** A node whose task database cannot be used stops at start with one message that says why. */
class BadDatabaseConfigurationTest {
  @TempDir Path dir;

  private static TaskDatabaseStartupException startWith(String... persistenceArgs) {
    String[] args = new String[persistenceArgs.length + 3];
    args[0] = "--server.port=0";
    args[1] = "--taskgrid.hazelcast.cluster-name=bad-db-" + System.nanoTime();
    args[2] = "--taskgrid.persistence.enabled=true";
    System.arraycopy(persistenceArgs, 0, args, 3, persistenceArgs.length);
    Throwable failure = catchThrowable(() -> new SpringApplicationBuilder(GridNodeApplication.class).run(args));
    assertThat(failure).as("the node must not start").isNotNull();
    Throwable cause = failure;
    while (cause != null && !(cause instanceof TaskDatabaseStartupException)) {
      cause = cause.getCause();
    }
    assertThat(cause).as("caused by the database").isInstanceOf(TaskDatabaseStartupException.class);
    return (TaskDatabaseStartupException) cause;
  }

  private static String explanation(TaskDatabaseStartupException failure) {
    FailureAnalysis analysis = new TaskDatabaseFailureAnalyzer().analyze(failure);
    return analysis.getDescription() + "\n" + analysis.getAction();
  }

  @Test
  void anUnreachableDatabaseServerStopsTheNodeWithAClearMessage() {
    TaskDatabaseStartupException failure = startWith("--taskgrid.persistence.url=jdbc:postgresql://127.0.0.1:1/taskgrid");

    assertThat(explanation(failure))
        .contains("cannot use the task database jdbc:postgresql://127.0.0.1:1/taskgrid")
        .containsIgnoringCase("connect")
        .contains("taskgrid.persistence.url");
  }

  @Test
  void aDataFolderThatCannotBeCreatedStopsTheNodeWithAClearMessage() throws Exception {
    // A file where the folder should be: as root (CI) a read-only folder would still be writable.
    Path notAFolder = Files.writeString(dir.resolve("data"), "not a folder");
    String url = "jdbc:sqlite:" + notAFolder.resolve("taskgrid.db");

    TaskDatabaseStartupException failure = startWith("--taskgrid.persistence.url=" + url);

    assertThat(explanation(failure)).contains("cannot use the task database " + url).contains("writable");
  }

  @Test
  @EnabledIfEnvironmentVariable(named = "TASKGRID_TEST_POSTGRES_URL", matches = ".+")
  void aWrongPasswordStopsTheNodeWithAClearMessage() {
    TaskDatabaseStartupException failure = startWith(
        "--taskgrid.persistence.url=" + System.getenv("TASKGRID_TEST_POSTGRES_URL"),
        "--taskgrid.persistence.username=" + System.getenv("TASKGRID_TEST_POSTGRES_USER"),
        "--taskgrid.persistence.password=wrong");

    assertThat(explanation(failure)).containsIgnoringCase("password");
  }
}
