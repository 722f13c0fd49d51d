package io.taskgrid.node.hazelcast;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.taskgrid.node.dispatch.HandOverTasks;
import io.taskgrid.node.dispatch.NodeStatus;

/** Serialization of what only nodes exchange among themselves (clients never see these). */
public final class NodeSerialization implements DataSerializableFactory {
  public static final int FACTORY_ID = 7302;
  public static final int NODE_STATUS = 1;
  public static final int HAND_OVER = 2;

  public static void register(SerializationConfig config) {
    config.addDataSerializableFactory(FACTORY_ID, new NodeSerialization());
  }

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case NODE_STATUS -> new NodeStatus();
      case HAND_OVER -> new HandOverTasks();
      default -> throw new IllegalArgumentException("unknown TaskGrid node type id " + typeId);
    };
  }
}
