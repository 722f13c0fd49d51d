package io.taskgrid.grid;

import io.taskgrid.model.TaskStatus;
import java.util.List;

/**
 * Finished tasks kept beyond memory: a node's database, which holds every task until its
 * retention, where memory holds a finished one only for its residency. A member that persists
 * tasks puts one in its user context under {@link #CONTEXT_KEY}, and its {@link TaskStore}'s
 * listings read it besides the map.
 */
public interface TaskArchive {
  /** Key of a member's archive in {@code HazelcastInstance.getUserContext()}. */
  String CONTEXT_KEY = "taskgrid.taskArchive";

  /**
   * The first finished tasks after {@code after} in id order, without their payloads: at most
   * {@code limit} of them, and no more once their {@link TaskRecord#viewBytes()} together reach
   * {@code maxBytes} (always at least one, if there is one).
   *
   * @param after only ids after this one, or null from the first
   * @param status only tasks of this status (a terminal one), or null for every finished task
   */
  List<TaskRecord> finished(String after, TaskStatus status, int limit, long maxBytes);
}
