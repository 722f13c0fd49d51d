package io.taskgrid.node.execution;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.stereotype.Component;

/** The task handlers of this node, by type. */
@Component
public class HandlerRegistry {
  private final Map<String, TaskHandler> byType = new TreeMap<>();

  public HandlerRegistry(List<TaskHandler> handlers) {
    for (TaskHandler handler : handlers) {
      TaskHandler clash = byType.putIfAbsent(handler.type(), handler);
      if (clash != null) {
        throw new IllegalStateException("two handlers for task type '" + handler.type() + "': "
            + clash.getClass().getName() + " and " + handler.getClass().getName());
      }
    }
  }

  public Optional<TaskHandler> find(String type) {
    return Optional.ofNullable(byType.get(type));
  }

  public boolean knows(String type) {
    return byType.containsKey(type);
  }

  public Set<String> types() {
    return byType.keySet();
  }
}
