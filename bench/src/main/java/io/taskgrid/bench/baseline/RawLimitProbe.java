package io.taskgrid.bench.baseline;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs on one member: for {@code millis}, batched entry processors ({@code submitToKeys}, {@value
 * #BATCH} keys a call, {@value #IN_FLIGHT} calls in flight) on keys this member owns, each writing a
 * value the size of a task record, with a backup. Answers how many entries it changed. Summed over
 * all members, it is the ceiling of any design that changes task state in the grid.
 */
public final class RawLimitProbe implements Callable<Long>, Serializable, HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;
  static final int BATCH = 100;
  static final int IN_FLIGHT = 4;
  private static final int KEYS = 20_000;

  private final long millis;
  private transient HazelcastInstance hazelcast;

  public RawLimitProbe(long millis) {
    this.millis = millis;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public Long call() throws InterruptedException {
    IMap<String, byte[]> map = hazelcast.getMap(BaselineMember.RAW_MAP);
    awaitPartitionsSettled(hazelcast.getPartitionService());
    List<Set<String>> batches = ownedKeyBatches(hazelcast.getPartitionService());
    Semaphore inFlight = new Semaphore(IN_FLIGHT);
    AtomicLong changed = new AtomicLong();
    long until = System.nanoTime() + millis * 1_000_000;
    for (int i = 0; System.nanoTime() < until; i++) {
      Set<String> keys = batches.get(i % batches.size());
      inFlight.acquire();
      map.submitToKeys(keys, new WriteValue()).whenComplete((result, error) -> {
        if (error == null) {
          changed.addAndGet(result.size());
        }
        inFlight.release();
      });
    }
    inFlight.acquire(IN_FLIGHT);
    return changed.get();
  }

  /** A fresh cluster assigns partitions on first use, and then migrates some to later joiners. */
  private static void awaitPartitionsSettled(PartitionService partitions) throws InterruptedException {
    long until = System.nanoTime() + 60_000_000_000L;
    while (!partitions.isClusterSafe()
        || partitions.getPartitions().stream().anyMatch(p -> p.getOwner() == null)) {
      if (System.nanoTime() > until) {
        throw new IllegalStateException("partitions not assigned after 60 s");
      }
      Thread.sleep(50);
    }
  }

  private List<Set<String>> ownedKeyBatches(PartitionService partitions) {
    List<Set<String>> batches = new ArrayList<>();
    Set<String> batch = new HashSet<>();
    String self = hazelcast.getCluster().getLocalMember().getUuid().toString();
    for (int i = 0; batches.size() * BATCH < KEYS; i++) {
      String key = self + "-" + i;
      if (partitions.getPartition(key).getOwner().localMember()) {
        batch.add(key);
        if (batch.size() == BATCH) {
          batches.add(batch);
          batch = new HashSet<>();
        }
      }
    }
    return batches;
  }

  /** Writes a 200-byte value: about what a small task record weighs. */
  static final class WriteValue implements EntryProcessor<String, byte[], Boolean>, Serializable {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean process(Map.Entry<String, byte[]> entry) {
      byte[] value = new byte[200];
      value[0] = (byte) (entry.getValue() == null ? 0 : entry.getValue()[0] + 1);
      entry.setValue(value);
      return Boolean.TRUE;
    }
  }
}
