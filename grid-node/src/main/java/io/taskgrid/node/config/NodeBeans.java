package io.taskgrid.node.config;

import com.hazelcast.core.HazelcastInstance;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.Worker;
import io.taskgrid.node.persistence.GroupCommitJournal;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The shared pieces a node's components are built from. */
@Configuration(proxyBeanMethods = false)
public class NodeBeans {
  /** Wall-clock time, injected so that tests can fix it. */
  @Bean
  public Clock clock() {
    return Clock.systemUTC();
  }

  /**
   * One thread for the node's periodic duties and debounced work (reaper, renewals, publishing).
   * Work handed to it after shutdown is dropped: a late handler finishing while the node stops
   * has nothing left to publish or reconcile.
   */
  @Bean(name = "taskgridScheduler", destroyMethod = "shutdownNow")
  public ScheduledExecutorService taskgridScheduler() {
    return new ScheduledThreadPoolExecutor(1, Worker.named("taskgrid-duties-"), new ThreadPoolExecutor.DiscardPolicy());
  }

  /**
   * The task operations, over this member's view of the task map. Destroyed before the member
   * (which it depends on): the submissions it acknowledged enter the map before the member leaves.
   */
  @Bean(destroyMethod = "finishEntering")
  public TaskStore taskStore(HazelcastInstance hazelcast, Clock clock, ObjectProvider<GroupCommitJournal> journal) {
    return TaskStore.onMember(hazelcast, clock, journal.getIfAvailable());
  }

  /** {@code taskgrid.waits.open}: the waits for a task's end open on this node (REST long polls). */
  @Bean
  public MeterBinder openWaits(TaskStore store) {
    return registry -> Gauge.builder("taskgrid.waits.open", store, TaskStore::waiting)
        .description("waits for a task's end (REST long polls) open on this node")
        .register(registry);
  }
}
