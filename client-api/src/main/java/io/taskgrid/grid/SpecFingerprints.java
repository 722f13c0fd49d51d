package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.projection.Projection;
import java.util.AbstractMap;
import java.util.Map;

/**
 * Projects a task to its id and {@link TaskRecord#specFingerprint}, on the member that holds it:
 * how a batch finds which of its ids exist with another spec. It had read the whole tasks
 * ({@code getAll}), and each member answered with its share of them, payloads and results, in one
 * array: a batch of 31 tasks of 1 MB sent again (as a client does after a refusal) ran two nodes
 * of 512 MiB out of memory, at half their heap, on an array the fragmented heap had no room for.
 */
public final class SpecFingerprints
    implements Projection<Map.Entry<String, TaskRecord>, Map.Entry<String, Long>>, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public Map.Entry<String, Long> transform(Map.Entry<String, TaskRecord> entry) {
    return new AbstractMap.SimpleImmutableEntry<>(entry.getKey(), entry.getValue().specFingerprint());
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.SPEC_FINGERPRINTS;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
