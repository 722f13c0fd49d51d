package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/**
 * Tells a member that a task it waits for has ended, sent by the task's owner ({@link
 * OwnerEndNotices}); the member reads the task and completes its waits.
 */
public final class EndNotice implements Runnable, IdentifiedDataSerializable, HazelcastInstanceAware {
  private String id;
  private transient HazelcastInstance member;

  public EndNotice() {}

  EndNotice(String id) {
    this.id = id;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.member = hazelcast;
  }

  @Override
  public void run() {
    TaskStore store = (TaskStore) member.getUserContext().get(TaskStore.CONTEXT_KEY);
    if (store != null) { // a node still starting has no waits yet
      store.endHeard(id);
    }
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.END_NOTICE;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(id);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    id = in.readString();
  }
}
