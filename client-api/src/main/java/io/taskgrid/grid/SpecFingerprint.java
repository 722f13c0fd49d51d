package io.taskgrid.grid;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.util.Map;

/**
 * Reads a stored task's {@link TaskRecord#specFingerprint} on its owner (null when there is no such
 * task), changing nothing: how a batch finds which of its ids exist with another spec. It had read
 * the whole tasks ({@code getAll}), and each member answered with its share of them, payloads and
 * results, in one array: a batch of 31 tasks of 1 MB sent again (as a client does after an
 * unanswered or refused request) ran two nodes of 512 MiB out of memory, at half their heap, on a
 * 32 MB array the fragmented heap had no room for.
 */
public final class SpecFingerprint
    implements EntryProcessor<String, TaskRecord, Long>, ReadOnly, IdentifiedDataSerializable {
  private static final long serialVersionUID = 1L;

  @Override
  public Long process(Map.Entry<String, TaskRecord> entry) {
    TaskRecord task = entry.getValue();
    return task == null ? null : task.specFingerprint();
  }

  @Override
  public EntryProcessor<String, TaskRecord, Long> getBackupProcessor() {
    return null;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.SPEC_FINGERPRINT;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
