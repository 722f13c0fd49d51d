package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * A client's submission, carried to a member (the owner of its tasks' partitions where it can)
 * and entered there by the member's {@link TaskStore}: the member journals the whole group in one
 * transaction, which a client, having no database, cannot do. Answers one reply per candidate, in
 * order.
 */
public final class SubmitOnMember implements Callable<ArrayList<Reply>>, IdentifiedDataSerializable,
    HazelcastInstanceAware {
  private List<TaskRecord> candidates;
  private transient HazelcastInstance member;

  public SubmitOnMember() {}

  public SubmitOnMember(List<TaskRecord> candidates) {
    this.candidates = candidates;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.member = hazelcast;
  }

  @Override
  public ArrayList<Reply> call() {
    TaskStore store = (TaskStore) member.getUserContext().get(TaskStore.CONTEXT_KEY);
    if (store == null) {
      // The member has joined but its node has not finished starting: a retryable error, which the
      // client's invocation itself sends again (within Hazelcast's invocation timeout).
      throw new RetryableHazelcastException("this TaskGrid node is still starting");
    }
    return new ArrayList<>(store.enter(candidates));
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.SUBMIT_ON_MEMBER;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    TaskRecord.writeAll(out, candidates);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    candidates = TaskRecord.readAll(in);
  }
}
