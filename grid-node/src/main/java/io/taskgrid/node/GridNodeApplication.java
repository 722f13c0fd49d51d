package io.taskgrid.node;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** A TaskGrid node: one Hazelcast member that schedules, runs tasks and serves the REST API. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class GridNodeApplication {
  public static void main(String[] args) {
    SpringApplication.run(GridNodeApplication.class, args);
  }
}
