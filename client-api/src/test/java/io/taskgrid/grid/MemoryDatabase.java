package io.taskgrid.grid;

import com.hazelcast.map.MapStore;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A map store over a map in this JVM, written through, as a node's database is (written behind):
 * it outlives the members that use it, and loads a task when it is asked for one.
 */
final class MemoryDatabase implements MapStore<String, TaskRecord> {
  final Map<String, TaskRecord> rows = new ConcurrentHashMap<>();

  @Override
  public void store(String key, TaskRecord value) {
    rows.put(key, value);
  }

  @Override
  public void storeAll(Map<String, TaskRecord> map) {
    rows.putAll(map);
  }

  @Override
  public void delete(String key) {
    rows.remove(key);
  }

  @Override
  public void deleteAll(Collection<String> keys) {
    keys.forEach(rows::remove);
  }

  @Override
  public TaskRecord load(String key) {
    return rows.get(key);
  }

  @Override
  public Map<String, TaskRecord> loadAll(Collection<String> keys) {
    Map<String, TaskRecord> found = new HashMap<>();
    keys.forEach(key -> Optional.ofNullable(rows.get(key)).ifPresent(task -> found.put(key, task)));
    return found;
  }

  @Override
  public Iterable<String> loadAllKeys() {
    return null; // loaded when asked for
  }
}
