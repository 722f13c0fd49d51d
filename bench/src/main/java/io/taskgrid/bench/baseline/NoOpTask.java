package io.taskgrid.bench.baseline;

import java.io.Serializable;
import java.util.concurrent.Callable;

/** The baselines' no-op task: returns at once, as TaskGrid's {@code echo} of an empty payload does. */
public final class NoOpTask implements Callable<String>, Serializable {
  private static final long serialVersionUID = 1L;

  @Override
  public String call() {
    return "";
  }
}
