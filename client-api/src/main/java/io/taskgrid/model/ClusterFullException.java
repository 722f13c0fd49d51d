package io.taskgrid.model;

/**
 * The cluster refuses new tasks for now: a member's heap is nearly full (its node's {@code
 * taskgrid.memory.refuse-above}). Nothing was stored. Submitting again once finished tasks have
 * left memory, or once the cluster has grown, succeeds.
 */
public class ClusterFullException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ClusterFullException(String message) {
    super(message);
  }
}
