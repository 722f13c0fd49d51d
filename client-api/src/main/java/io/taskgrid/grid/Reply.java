package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/** What a state-changing processor did, and the task afterwards (without its payload). */
public final class Reply implements IdentifiedDataSerializable {
  /** The outcomes of the task processors. */
  public enum Outcome {
    /** Submission stored a new task. */
    CREATED,
    /** Submission found the identical task. */
    EXISTING,
    /** Submission found a different task under the same id. */
    CONFLICT,
    /** The transition happened. */
    APPLIED,
    /** A report from an attempt that is no longer the running one: nothing changed. */
    STALE,
    /** No such task. */
    NOT_FOUND,
    /** The task has already ended: nothing changed. */
    TERMINAL
  }

  // values() clones its array on every call; a batch's replies are read 10,000 at a time.
  private static final Outcome[] OUTCOMES = Outcome.values();

  private Outcome outcome;
  private TaskRecord task;

  public Reply() {}

  Reply(Outcome outcome, TaskRecord task) {
    this.outcome = outcome;
    this.task = task == null ? null : task.withoutPayload();
  }

  public Outcome outcome() {
    return outcome;
  }

  /** The task after the processor ran, without its payload; null for {@link Outcome#NOT_FOUND}. */
  public TaskRecord task() {
    return task;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.REPLY;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeByte(outcome.ordinal());
    out.writeObject(task);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    outcome = OUTCOMES[in.readByte()];
    task = in.readObject();
  }
}
