package io.taskgrid.node.persistence;

import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * When {@code taskgrid.persistence.enabled} is false: no database, and finished tasks are deleted
 * from memory once they are older than {@code taskgrid.persistence.retention}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "taskgrid.persistence.enabled", havingValue = false)
public class MemoryOnlyConfiguration {
  @Bean
  FinishedTaskSweeper finishedTaskSweeper(HazelcastInstance hazelcast, TaskStore store,
      @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock, TaskGridProperties properties) {
    return new FinishedTaskSweeper(hazelcast, store, null, scheduler, clock, properties);
  }
}
