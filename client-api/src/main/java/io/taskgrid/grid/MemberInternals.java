package io.taskgrid.grid;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceImpl;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.spi.impl.NodeEngine;

/**
 * The way into a member's Hazelcast internals, for the few places that use them (batches sent
 * straight to partitions, a look-up in a partition's waits from its own thread).
 */
final class MemberInternals {
  private MemberInternals() {}

  /** The node engine of {@code member}, an embedded member of this JVM. */
  static NodeEngine nodeEngine(HazelcastInstance member) {
    HazelcastInstanceImpl instance = member instanceof HazelcastInstanceProxy proxy
        ? proxy.getOriginal() : (HazelcastInstanceImpl) member;
    return instance.node.getNodeEngine();
  }
}
