package io.taskgrid.node.persistence;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.util.List;

/** What the persistence tests share: clusters of two slots a node on a test's database, and reads of tasks. */
final class PersistentClusters {
  private PersistentClusters() {}

  /** A cluster on {@code database} whose nodes run two tasks at a time, not yet started. */
  static TestCluster clusterOn(TaskDatabase database) {
    return database.configure(new TestCluster().with("taskgrid.capacity", 2));
  }

  /** The tasks with these ids, each of which must exist. */
  static List<TaskView> views(TaskStore store, List<String> ids) {
    return ids.stream().map(id -> store.get(id).orElseThrow()).toList();
  }
}
