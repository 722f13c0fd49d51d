package io.taskgrid.bench.chaos;

import io.taskgrid.bench.cluster.NodeCluster;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a node's Hazelcast traffic from the other nodes with firewall rules (iptables, in a chain of
 * its own), while HTTP still reaches every node: a real split, both sides serving. Needs root, the
 * iptables command, and a cluster whose nodes each have an address of their own.
 */
final class NetworkSplit implements AutoCloseable {
  private static final String CHAIN = "TASKGRID_CHAOS";

  private final NodeCluster cluster;
  // From a cut until the cluster is whole again: the load reads it while the faults set it.
  private volatile boolean split;

  private NetworkSplit(NodeCluster cluster) {
    this.cluster = cluster;
  }

  /** Installs the (empty) chain in front of the INPUT chain; {@link #close} removes it. */
  static NetworkSplit open(NodeCluster cluster) throws IOException, InterruptedException {
    NetworkSplit network = new NetworkSplit(cluster);
    network.iptables(true, "-N", CHAIN);
    network.iptables(false, "-F", CHAIN);
    network.iptables(false, "-I", "INPUT", "-j", CHAIN);
    return network;
  }

  /** Drops every packet between node i's address and the other nodes' (loopback passes INPUT once). */
  void cut(int i) throws IOException, InterruptedException {
    split = true;
    String host = cluster.hazelcastHost(i);
    for (int other = 1; other <= cluster.maxIndex(); other++) {
      if (other != i) {
        String otherHost = cluster.hazelcastHost(other);
        iptables(false, "-A", CHAIN, "-s", host, "-d", otherHost, "-j", "DROP");
        iptables(false, "-A", CHAIN, "-s", otherHost, "-d", host, "-j", "DROP");
      }
    }
  }

  /** Lets every packet through again; the sides merge on Hazelcast's next merge check. */
  void heal() throws IOException, InterruptedException {
    iptables(false, "-F", CHAIN);
  }

  /** Called once every node sees all the others again: the split has merged. */
  void whole() {
    split = false;
  }

  /** Whether the cluster may be split now: a cut, or a heal not yet merged. */
  boolean mayBeSplit() {
    return split;
  }

  @Override
  public void close() throws IOException, InterruptedException {
    iptables(true, "-D", "INPUT", "-j", CHAIN);
    iptables(true, "-F", CHAIN);
    iptables(true, "-X", CHAIN);
  }

  private void iptables(boolean mayFail, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("iptables", "-w"));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (process.waitFor() != 0 && !mayFail) {
      throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
          + "); splits need root and iptables");
    }
  }
}
