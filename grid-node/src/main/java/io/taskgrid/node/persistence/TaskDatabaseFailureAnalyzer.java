package io.taskgrid.node.persistence;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a task database that cannot be used at start into one clear message (what, why, what to
 * do) instead of a stack trace; the node exits.
 */
class TaskDatabaseFailureAnalyzer extends AbstractFailureAnalyzer<TaskDatabaseStartupException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, TaskDatabaseStartupException cause) {
    return new FailureAnalysis(
        "TaskGrid " + cause.getMessage(),
        "Check taskgrid.persistence.url (TASKGRID_PERSISTENCE_URL), the user and password "
            + "(TASKGRID_PERSISTENCE_USERNAME / _PASSWORD), that the database server is reachable, and for "
            + "SQLite that the folder of the file exists or can be created and is writable. To run without a "
            + "database (tasks in memory only), set taskgrid.persistence.enabled=false.",
        cause);
  }
}
