package io.taskgrid.node.execution.handlers;

import io.taskgrid.node.execution.TaskContext;
import io.taskgrid.node.execution.TaskHandler;
import org.springframework.stereotype.Component;

/** {@code sleep}: sleeps for the payload's number of milliseconds. */
@Component
class SleepHandler implements TaskHandler {
  @Override
  public String type() {
    return "sleep";
  }

  @Override
  public String handle(TaskContext task) throws InterruptedException {
    long millis = Long.parseLong(task.payload().trim());
    Thread.sleep(millis);
    return "slept " + millis + " ms";
  }
}
