package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.List;

/**
 * A page of a listing as a member read it ({@link TaskStore#listHere}): its tasks, without their
 * payloads, and the cursor of the next page (null on the last). What {@link ListOnMember} answers
 * a client.
 */
public final class ListedPage implements IdentifiedDataSerializable {
  private List<TaskRecord> tasks;
  private String next;

  public ListedPage() {}

  ListedPage(List<TaskRecord> tasks, String next) {
    this.tasks = tasks;
    this.next = next;
  }

  List<TaskRecord> tasks() {
    return tasks;
  }

  String next() {
    return next;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.LISTED_PAGE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    TaskRecord.writeAll(out, tasks);
    out.writeString(next);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    tasks = TaskRecord.readAll(in);
    next = in.readString();
  }
}
