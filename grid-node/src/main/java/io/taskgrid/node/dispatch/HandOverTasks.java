package io.taskgrid.node.dispatch;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spring.context.SpringAware;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.node.hazelcast.NodeSerialization;
import java.io.IOException;
import java.util.ArrayList;
import java.util.concurrent.Callable;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Sent by an idle node to a busy one: "claim up to {@code max} of your best pending tasks for me".
 * Runs on the busy node (its dispatcher is injected there by Hazelcast's Spring context), where
 * the claims are local; answers the claimed tasks, which the idle node then runs.
 */
@SpringAware
public final class HandOverTasks implements Callable<ArrayList<TaskRecord>>, IdentifiedDataSerializable {
  private String thief;
  private int max;

  @Autowired
  private transient Dispatcher dispatcher;

  public HandOverTasks() {}

  HandOverTasks(String thief, int max) {
    this.thief = thief;
    this.max = max;
  }

  @Override
  public ArrayList<TaskRecord> call() {
    return new ArrayList<>(dispatcher.handOver(thief, max));
  }

  @Override
  public int getFactoryId() {
    return NodeSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return NodeSerialization.HAND_OVER;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(thief);
    out.writeInt(max);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    thief = in.readString();
    max = in.readInt();
  }
}
