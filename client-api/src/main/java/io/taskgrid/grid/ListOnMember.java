package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import io.taskgrid.model.TaskStatus;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A client's listing, read on a member: only a member reaches the database that holds the
 * finished tasks no longer in memory ({@link TaskArchive}), and one call there reads both.
 */
public final class ListOnMember implements Callable<ListedPage>, IdentifiedDataSerializable, HazelcastInstanceAware {
  private TaskStatus status;
  private int limit;
  private String cursor;
  private transient HazelcastInstance member;

  public ListOnMember() {}

  ListOnMember(TaskStatus status, int limit, String cursor) {
    this.status = status;
    this.limit = limit;
    this.cursor = cursor;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.member = hazelcast;
  }

  @Override
  public ListedPage call() {
    TaskStore store = (TaskStore) member.getUserContext().get(TaskStore.CONTEXT_KEY);
    if (store == null) {
      // As SubmitOnMember: a node still starting; the client's invocation sends it again.
      throw new RetryableHazelcastException("this TaskGrid node is still starting");
    }
    return store.listHere(status, limit, cursor);
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.LIST_ON_MEMBER;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    TaskGridSerialization.writeStatus(out, status);
    out.writeInt(limit);
    out.writeString(cursor);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    status = TaskGridSerialization.readStatus(in);
    limit = in.readInt();
    cursor = in.readString();
  }
}
