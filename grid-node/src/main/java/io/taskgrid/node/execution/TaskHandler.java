package io.taskgrid.node.execution;

/**
 * Runs tasks of one type. Implementations are Spring beans; every node must have the same set.
 * A handler may be called more than once for one task (retries, and re-runs after a node is lost:
 * execution is at-least-once), so it should be idempotent. It should stop when its thread is
 * interrupted: that is how cancellation, timeouts and draining reach it.
 *
 * <pre>{@code
 * @Component
 * class ResizeImageHandler implements TaskHandler {
 *   public String type() { return "resize"; }
 *   public String handle(TaskContext task) throws Exception {
 *     return images.resize(task.payload());      // the result, at most 1 MiB
 *   }
 * }
 * }</pre>
 */
public interface TaskHandler {
  /** The task type this handler runs. */
  String type();

  /**
   * Runs one attempt.
   *
   * @return the result, stored with the COMPLETED task
   * @throws Exception to fail the attempt; its message becomes the task's error
   */
  String handle(TaskContext task) throws Exception;
}
