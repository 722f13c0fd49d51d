package io.taskgrid.node.execution.handlers;

import io.taskgrid.node.execution.TaskContext;
import io.taskgrid.node.execution.TaskHandler;
import org.springframework.stereotype.Component;

/** {@code flaky}: with payload N, attempts 1..N fail and later ones succeed. */
@Component
class FlakyHandler implements TaskHandler {
  @Override
  public String type() {
    return "flaky";
  }

  @Override
  public String handle(TaskContext task) {
    int failures = Integer.parseInt(task.payload().trim());
    if (task.attempt() <= failures) {
      throw new IllegalStateException("flaky: attempt " + task.attempt() + " of the first " + failures + " fails");
    }
    return "succeeded on attempt " + task.attempt();
  }
}
