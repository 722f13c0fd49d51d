package io.taskgrid.node.dispatch;

import com.hazelcast.partition.PartitionService;
import java.util.Set;

/**
 * Splits a periodic scan of this member's partitions into {@value #SLICES} slices, one per call:
 * a scan of every resident task at once (finished ones stay resident for an hour) runs on the
 * partition threads in one burst, which the requests queued behind it feel; a slice at a time
 * spreads the same work over the interval. Called by one thread only (the duties thread).
 */
public final class PartitionSlices {
  /** Slices per pass: a scan every {@code interval} becomes a slice every {@code interval / SLICES}. */
  public static final int SLICES = 30;

  private final PartitionKeys partitionKeys = new PartitionKeys();
  // One caller thread (see above), so a plain field will do.
  private int next;

  /** The next slice of the partitions owned here, as one key per partition. */
  public Slice next(PartitionService partitions) {
    int slice = next;
    next = (slice + 1) % SLICES;
    return new Slice(slice == 0, partitionKeys.ofOwnedPartitions(partitions, p -> p % SLICES == slice));
  }

  /** One slice: a key in each of its partitions owned here; {@code startsPass} for the first of a pass. */
  public record Slice(boolean startsPass, Set<String> keys) {}
}
