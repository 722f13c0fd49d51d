package io.taskgrid.model;

/**
 * The cluster refuses new tasks for now: a member's heap is nearly full (its node's {@code
 * taskgrid.memory.refuse-above}). Nothing of what the refusing member was sent was stored.
 * Submitting again once finished tasks have left memory, or once the cluster has grown, succeeds.
 * A batch of the Java client goes to several members; in the 20 ms or so that a member's full heap
 * takes to reach the others, some may have stored their part. Sending the same batch again is
 * safe: the tasks already stored answer {@link SubmitOutcome#EXISTING}.
 */
public class ClusterFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterFullException(String message) {
    super(message);
  }
}
