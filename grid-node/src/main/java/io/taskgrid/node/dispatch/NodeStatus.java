package io.taskgrid.node.dispatch;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.taskgrid.node.hazelcast.NodeSerialization;
import java.io.IOException;
import java.util.Objects;

/**
 * What a node publishes about itself on the {@link LoadBoard}: where to reach it, how busy it is,
 * the best pending task it cannot start itself right now ({@code waiting}), and whether its heap
 * is too full for the cluster to take new tasks.
 */
public final class NodeStatus implements IdentifiedDataSerializable {
  private String id;
  private String address;
  private String httpUrl;
  private int capacity;
  private int running;
  private int pendingOwned;
  private int waiting;
  private Candidate best;
  private boolean draining;
  private boolean memoryFull;
  private long version;

  public NodeStatus() {}

  NodeStatus(String id, String address, String httpUrl, int capacity, int running, int pendingOwned, int waiting,
      Candidate best, boolean draining, boolean memoryFull) {
    this.id = id;
    this.address = address;
    this.httpUrl = httpUrl;
    this.capacity = capacity;
    this.running = running;
    this.pendingOwned = pendingOwned;
    this.waiting = waiting;
    this.best = best;
    this.draining = draining;
    this.memoryFull = memoryFull;
  }

  /** Same content, ignoring the version: steers alike, with the same counts and the same best task. */
  boolean sameAs(NodeStatus other) {
    return steersLike(other)
        && running == other.running
        && pendingOwned == other.pendingOwned
        && waiting == other.waiting
        && Objects.equals(best, other.best);
  }

  /**
   * Whether another node's dispatcher would decide about the same on either: the best waiting
   * task ranks the same ({@link Candidate#outranks}), and as many wait within a factor of two (zero
   * apart: a node takes up to {@code waiting} in one hand-over), only the other counts may differ.
   */
  boolean steersLike(NodeStatus other) {
    return other != null
        && capacity == other.capacity
        && Integer.numberOfLeadingZeros(waiting) == Integer.numberOfLeadingZeros(other.waiting)
        && draining == other.draining
        && memoryFull == other.memoryFull
        && Objects.equals(id, other.id)
        && Objects.equals(address, other.address)
        && Objects.equals(httpUrl, other.httpUrl)
        && (best == null ? other.best == null : best.ranksWith(other.best));
  }

  NodeStatus withVersion(long version) {
    this.version = version;
    return this;
  }

  public String id() {
    return id;
  }

  public String address() {
    return address;
  }

  public String httpUrl() {
    return httpUrl;
  }

  public int capacity() {
    return capacity;
  }

  public int running() {
    return running;
  }

  public int pendingOwned() {
    return pendingOwned;
  }

  /** Ready tasks in its partitions beyond what its own free slots will take. */
  public int waiting() {
    return waiting;
  }

  /** Its best ready task, or null. */
  public Candidate best() {
    return best;
  }

  public boolean draining() {
    return draining;
  }

  /** Whether its heap after the last collection is over its {@code taskgrid.memory.refuse-above}. */
  public boolean memoryFull() {
    return memoryFull;
  }

  public long version() {
    return version;
  }

  @Override
  public int getFactoryId() {
    return NodeSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return NodeSerialization.NODE_STATUS;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(id);
    out.writeString(address);
    out.writeString(httpUrl);
    out.writeInt(capacity);
    out.writeInt(running);
    out.writeInt(pendingOwned);
    out.writeInt(waiting);
    out.writeBoolean(best != null);
    if (best != null) {
      out.writeString(best.id());
      out.writeInt(best.priority());
      out.writeLong(best.deadline());
      out.writeLong(best.seq());
      out.writeInt(best.partition());
    }
    out.writeBoolean(draining);
    out.writeBoolean(memoryFull);
    out.writeLong(version);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    id = in.readString();
    address = in.readString();
    httpUrl = in.readString();
    capacity = in.readInt();
    running = in.readInt();
    pendingOwned = in.readInt();
    waiting = in.readInt();
    best = in.readBoolean() ? new Candidate(in.readString(), in.readInt(), in.readLong(), in.readLong(), in.readInt()) : null;
    draining = in.readBoolean();
    memoryFull = in.readBoolean();
    version = in.readLong();
  }
}
