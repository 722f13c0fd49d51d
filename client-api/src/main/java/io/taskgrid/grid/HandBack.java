package io.taskgrid.grid;

/** A draining node returns a task it could not finish: PENDING, and the attempt does not count. */
public final class HandBack extends AttemptReport {
  private static final long serialVersionUID = 1L;

  public HandBack() {}

  public HandBack(long fence, String node, long now) {
    super(fence, node, now);
  }

  @Override
  protected void apply(TaskRecord task) {
    task.handBack();
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.HAND_BACK;
  }
}
