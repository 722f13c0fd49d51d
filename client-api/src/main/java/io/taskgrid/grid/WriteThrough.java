package io.taskgrid.grid;

/**
 * Where a member writes a change to the database before the change takes effect, when the task
 * map is otherwise written behind: for a change whose caller is told it is done and that must
 * survive a crash of the whole cluster, as an acknowledged cancel must (a change written behind
 * may be up to a second late, and a crash of every node in that second takes the task back to
 * its state before, to run again). A member that persists tasks puts one in its user context
 * under {@link #CONTEXT_KEY}; {@link TaskProcessor}s that say so ({@code writesThrough}) call it
 * on the owner, inside the processor.
 */
public interface WriteThrough {
  String CONTEXT_KEY = "taskgrid.writeThrough";

  /**
   * Stores this state of a task, on the owner's partition thread; returns once it is stored.
   *
   * @throws RuntimeException if it could not be stored: the processor then fails, and the change
   *     does not take effect
   */
  void storeNow(TaskRecord task);
}
