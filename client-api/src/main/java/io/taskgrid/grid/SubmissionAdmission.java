package io.taskgrid.grid;

/**
 * Whether a member takes new tasks now: its {@link TaskStore} asks before it stores anything of a
 * submission, whether from its own callers or from a client.
 */
@FunctionalInterface
public interface SubmissionAdmission {

  /**
   * Returns if new tasks may enter now.
   *
   * @throws io.taskgrid.model.ClusterFullException if they may not; the submission then changes nothing
   */
  void admit();
}
