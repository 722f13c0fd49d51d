package io.taskgrid.node.support;

import static org.awaitility.Awaitility.await;

import io.taskgrid.node.GridNodeApplication;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A cluster of in-JVM nodes for tests: each a full node application on a random HTTP port, in a
 * cluster of its own name and ports so that clusters of different tests never meet.
 */
public final class TestCluster implements AutoCloseable {
  // Shared by every cluster of this test JVM: each takes a fresh block of member ports. Test JVMs
  // run side by side (surefire forks, numbered from 1) start 1000 ports apart.
  private static final AtomicInteger NEXT_PORT_BLOCK =
      new AtomicInteger(5100 + 1000 * Integer.getInteger("taskgrid.test.fork", 1));
  private static final int BLOCK = 10;

  private final String name = "test-" + UUID.randomUUID().toString().substring(0, 8);
  private final int basePort = NEXT_PORT_BLOCK.getAndAdd(BLOCK);
  private final Map<String, Object> properties = new LinkedHashMap<>();
  private final List<TestNode> nodes = new ArrayList<>();

  public TestCluster() {
    properties.put("server.port", "0");
    properties.put("spring.main.banner-mode", "off");
    properties.put("taskgrid.hazelcast.cluster-name", name);
    properties.put("taskgrid.hazelcast.members",
        IntStream.range(1, BLOCK).mapToObj(i -> "127.0.0.1:" + (basePort + i)).collect(Collectors.joining(",")));
    // Few partitions keep migrations quick on two cores.
    properties.put("taskgrid.hazelcast.properties[hazelcast.partition.count]", "31");
    // No cluster in one JVM is ever split. The search for another cluster to merge with (every 10 s
    // in hazelcast.yaml) dials the block's free ports, and a member stopping meanwhile waited up to
    // 3 s for it (seen in a thread dump): most tests ran long enough to pay that at close.
    properties.put("taskgrid.hazelcast.properties[hazelcast.merge.first.run.delay.seconds]", "3600");
    properties.put("taskgrid.retry.base", "100ms");
    properties.put("taskgrid.drain-timeout", "2s");
    properties.put("logging.level.com.hazelcast", "WARN");
    // In memory unless a test asks for a database (of its own).
    properties.put("taskgrid.persistence.enabled", "false");
  }

  /** Sets a node property (e.g. {@code taskgrid.capacity}) for the nodes started after this. */
  public TestCluster with(String key, Object value) {
    properties.put(key, value);
    return this;
  }

  /** Starts {@code count} nodes one after another and waits until they all see each other. */
  public TestCluster start(int count) {
    for (int i = 0; i < count; i++) {
      startNode();
    }
    return this;
  }

  /** Starts one more node and waits until every running node sees it. */
  public TestNode startNode() {
    int index = nodes.size() + 1;
    Map<String, Object> props = new LinkedHashMap<>(properties);
    props.put("taskgrid.hazelcast.port", basePort + index);
    // As command-line arguments: they win over application.yaml, as an operator's would.
    String[] args = props.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    TestNode node = new TestNode(new SpringApplicationBuilder(GridNodeApplication.class).run(args), index);
    nodes.add(node);
    int expected = running().size();
    await().atMost(Duration.ofSeconds(60)).until(() ->
        running().stream().allMatch(n -> n.hazelcast().getCluster().getMembers().size() == expected)
            && node.hazelcast().getPartitionService().isClusterSafe());
    return node;
  }

  public String name() {
    return name;
  }

  /** Node i listens on basePort + i; the block reaches basePort + 9. */
  public int basePort() {
    return basePort;
  }

  /** Member addresses, for a Java client. */
  public String[] addresses() {
    return running().stream()
        .map(n -> "127.0.0.1:" + n.hazelcast().getCluster().getLocalMember().getAddress().getPort())
        .toArray(String[]::new);
  }

  public TestNode node(int index) {
    return nodes.get(index - 1);
  }

  public List<TestNode> running() {
    return nodes.stream().filter(TestNode::isRunning).toList();
  }

  /** The running node with this member id. */
  public TestNode byId(String id) {
    return running().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
  }

  @Override
  public void close() {
    nodes.forEach(TestNode::kill);
  }
}
