package io.taskgrid.node.execution.handlers;

import io.taskgrid.node.execution.TaskContext;
import io.taskgrid.node.execution.TaskHandler;
import org.springframework.stereotype.Component;

/** {@code echo}: the result is the payload. */
@Component
class EchoHandler implements TaskHandler {
  @Override
  public String type() {
    return "echo";
  }

  @Override
  public String handle(TaskContext task) {
    return task.payload();
  }
}
