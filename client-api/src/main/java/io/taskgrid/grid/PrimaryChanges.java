package io.taskgrid.grid;

/**
 * What a member does with the tasks it owns as primary when a TaskGrid processor changes one: the
 * node keeps its pending and running indexes with it. Told on the owner's partition thread, inside
 * the processor, so it must be quick and must not call the grid. A member's node puts its own in
 * the member's user context under {@link #CONTEXT_KEY}; a member without one (still starting, or a
 * plain Hazelcast member) is told nothing.
 */
public interface PrimaryChanges {
  String CONTEXT_KEY = "taskgrid.primaryChanges";

  /** {@code task} is the new state of a task this member owns; it is not to be changed. */
  void changed(TaskRecord task);
}
