package io.taskgrid.grid;

/**
 * The last key the map store loaded on this thread, so that a processor can tell a task Hazelcast
 * has just loaded for it (absent from memory until then) from one already resident: Hazelcast loads
 * an absent key on the partition thread right before it runs a processor on that key, and says
 * nothing of it to the processor. {@link ReenterFromDatabase} sets the first kind again, so that
 * its backup holds it, and leaves the second alone.
 */
public final class FreshLoads {
  // Per partition thread, one key: a load and the processor on that key follow each other on the
  // same thread, one key at a time. A key left here by a load no processor asked about (a read)
  // is replaced by the next load; should a processor later find it here while the task is resident,
  // it sets the task as it stands, which costs a write and backs it up: nothing is undone.
  private static final ThreadLocal<String> LAST = new ThreadLocal<>();

  private FreshLoads() {}

  /** The map store has just loaded {@code id} from the database on this thread. */
  public static void loaded(String id) {
    LAST.set(id);
  }

  /** Whether the last load on this thread was {@code id}; forgets it. */
  static boolean take(String id) {
    if (!id.equals(LAST.get())) {
      return false;
    }
    LAST.remove();
    return true;
  }
}
