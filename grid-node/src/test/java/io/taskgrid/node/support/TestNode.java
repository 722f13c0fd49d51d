package io.taskgrid.node.support;

import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.Worker;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** One in-JVM TaskGrid node: a full Spring Boot application with its own Hazelcast member. */
public final class TestNode {
  private final ConfigurableApplicationContext context;
  private final int index;

  TestNode(ConfigurableApplicationContext context, int index) {
    this.context = context;
    this.index = index;
  }

  public int index() {
    return index;
  }

  public HazelcastInstance hazelcast() {
    return context.getBean(HazelcastInstance.class);
  }

  public String id() {
    return hazelcast().getCluster().getLocalMember().getUuid().toString();
  }

  /** The first {@code count} ids {@code prefix}0, {@code prefix}1, … whose partitions this node owns. */
  public List<String> idsOwnedHere(String prefix, int count) {
    List<String> ids = new ArrayList<>(count);
    for (int i = 0; ids.size() < count; i++) {
      if (hazelcast().getPartitionService().getPartition(prefix + i).getOwner().localMember()) {
        ids.add(prefix + i);
      }
    }
    return ids;
  }

  public TaskStore store() {
    return context.getBean(TaskStore.class);
  }

  public Worker worker() {
    return context.getBean(Worker.class);
  }

  public <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  public <T> T bean(String name, Class<T> type) {
    return context.getBean(name, type);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + ((WebServerApplicationContext) context).getWebServer().getPort();
  }

  public Http http() {
    return new Http(baseUrl());
  }

  public boolean isRunning() {
    return context.isActive();
  }

  /** Leaves gracefully, the way SIGTERM does: drain, hand back, Hazelcast graceful shutdown. */
  public void stop() {
    if (context.isActive()) {
      context.close();
    }
  }

  /** Dies abruptly: the member vanishes without a goodbye, as with kill -9; then the rest is closed. */
  public void kill() {
    if (context.isActive()) {
      hazelcast().getLifecycleService().terminate();
      stop();
    }
  }
}
