package io.taskgrid.grid;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.impl.operation.MultipleEntryOperation;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import java.io.IOException;
import java.util.Set;

/**
 * Hazelcast's operation that runs an entry processor on several keys of one partition, sent by
 * {@link PartitionBatches}, with a choice Hazelcast's own does not offer: its backups synchronous,
 * as the map's {@code backup-count} asks, or asynchronous, as Hazelcast always sends those of a
 * multi-key processor.
 */
public final class PartitionBatchOperation extends MultipleEntryOperation {
  private boolean syncBackups;

  public PartitionBatchOperation() {}

  PartitionBatchOperation(String mapName, Set<Data> keys, EntryProcessor<?, ?, ?> processor, boolean syncBackups) {
    super(mapName, keys, processor);
    this.syncBackups = syncBackups;
  }

  @Override
  public int getSyncBackupCount() {
    return syncBackups ? mapContainer.getBackupCount() : 0;
  }

  @Override
  public int getAsyncBackupCount() {
    return syncBackups ? mapContainer.getAsyncBackupCount() : mapContainer.getTotalBackupCount();
  }

  @Override
  protected void writeInternal(ObjectDataOutput out) throws IOException {
    super.writeInternal(out);
    out.writeBoolean(syncBackups);
  }

  @Override
  protected void readInternal(ObjectDataInput in) throws IOException {
    super.readInternal(in);
    syncBackups = in.readBoolean();
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.PARTITION_BATCH;
  }
}
