package io.taskgrid.node.api;

import io.taskgrid.grid.TaskStore;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Answers the node's open long polls when it stops, each with its task as it stands. It stops
 * after the node's drain (whose finishing tasks answer their polls as they end) and before the web
 * server's graceful shutdown, which would otherwise wait out every open poll, up to 60 s.
 */
@Component
class LongPollCutoff implements SmartLifecycle {
  private final TaskStore store;
  private volatile boolean running;

  LongPollCutoff(TaskStore store) {
    this.store = store;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    store.stopWaiting();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public int getPhase() {
    return WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE + 1;
  }
}
