package io.taskgrid.grid;

import java.util.concurrent.CompletionStage;

/**
 * How a store hears that a task it waits for has ended ({@link TaskWaits}): a client through one
 * listener on the whole map ({@link ClusterEndListener}), a member through the tasks' owners
 * ({@link OwnerEndNotices}).
 */
interface EndHearing {
  /**
   * A wait on {@code id} begins (its waiter is already in place). The stage completes once any end
   * of that task from then on will be heard; the waits read the task only after that, so no end
   * slips between.
   */
  CompletionStage<Void> waitBegan(String id);

  /** A wait on {@code id} whose {@link #waitBegan} completed normally has ended, however it ended. */
  void waitEnded(String id);
}
