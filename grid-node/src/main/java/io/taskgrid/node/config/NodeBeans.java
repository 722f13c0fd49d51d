package io.taskgrid.node.config;

import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.Worker;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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

  /** One thread for the node's periodic duties and debounced work (reaper, renewals, publishing). */
  @Bean(name = "taskgridScheduler", destroyMethod = "shutdownNow")
  public ScheduledExecutorService taskgridScheduler() {
    return Executors.newSingleThreadScheduledExecutor(Worker.named("taskgrid-duties-"));
  }

  /** The task operations, over this member's view of the task map. */
  @Bean
  public TaskStore taskStore(HazelcastInstance hazelcast, Clock clock) {
    return new TaskStore(hazelcast, clock);
  }
}
