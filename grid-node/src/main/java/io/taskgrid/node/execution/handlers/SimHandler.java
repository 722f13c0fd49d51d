package io.taskgrid.node.execution.handlers;

import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.execution.TaskContext;
import io.taskgrid.node.execution.TaskHandler;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import org.springframework.stereotype.Component;

/**
 * {@code sim}: simulated work. Runs for a time uniform in [min, max] derived from a hash of the
 * payload, and fails with the configured probability, derived from the payload and attempt, so
 * that a run can be repeated exactly.
 */
@Component
class SimHandler implements TaskHandler {
  private final TaskGridProperties.Sim sim;

  SimHandler(TaskGridProperties properties) {
    this.sim = properties.sim();
  }

  @Override
  public String type() {
    return "sim";
  }

  @Override
  public String handle(TaskContext task) throws InterruptedException {
    long min = sim.minDuration().toMillis();
    long span = Math.max(0, sim.maxDuration().toMillis() - min);
    long millis = min + (span == 0 ? 0 : Math.floorMod(hash(task.payload()), span + 1));
    Thread.sleep(millis);
    double draw = Math.floorMod(hash(task.payload() + "#" + task.attempt()), 1_000_000L) / 1_000_000.0;
    if (draw < sim.failureProbability()) {
      throw new IllegalStateException("sim: simulated failure after " + millis + " ms");
    }
    return "simulated " + millis + " ms";
  }

  private static long hash(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return crc.getValue();
  }
}
