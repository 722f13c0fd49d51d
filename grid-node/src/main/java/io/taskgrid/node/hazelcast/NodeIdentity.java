package io.taskgrid.node.hazelcast;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import org.springframework.stereotype.Component;

/**
 * Who this node is in the cluster. Read each time, not cached: Hazelcast gives a member a new id
 * when it merges back after a split, and claims must carry the current one.
 */
@Component
public class NodeIdentity {
  private final HazelcastInstance hazelcast;

  public NodeIdentity(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  public String id() {
    return member().getUuid().toString();
  }

  public String address() {
    return member().getAddress().getHost() + ":" + member().getAddress().getPort();
  }

  public Member member() {
    return hazelcast.getCluster().getLocalMember();
  }
}
