package io.taskgrid.node.execution.handlers;

import io.taskgrid.node.execution.TaskContext;
import io.taskgrid.node.execution.TaskHandler;
import org.springframework.stereotype.Component;

/** {@code fail}: every attempt fails, with the payload as the error. */
@Component
class FailHandler implements TaskHandler {
  @Override
  public String type() {
    return "fail";
  }

  @Override
  public String handle(TaskContext task) {
    throw new IllegalStateException(task.payload());
  }
}
