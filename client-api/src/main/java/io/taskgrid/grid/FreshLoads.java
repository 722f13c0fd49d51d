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
  // same thread, one key at a time, and every processor forgets it when done (TaskProcessor, and
  // ReplayOnBackup on a backup, which loads the keys it replays too: a note left there was taken,
  // once that backup was promoted, for a load of the adoption's own, in CI). A
  // key left here by a load no processor follows (a read) stays until the next processor on the
  // thread: should that one be ReenterFromDatabase on the same key, it sets the task as it stands,
  // which backs up a task the read loaded on its owner alone: nothing is undone.
  private static final ThreadLocal<String> LAST = new ThreadLocal<>();

  private FreshLoads() {}

  /** The map store has just loaded {@code id} from the database on this thread. */
  public static void loaded(String id) {
    LAST.set(id);
  }

  /** Forgets the last load on this thread. */
  static void forget() {
    LAST.remove();
  }

  /** Whether the last load on this thread was {@code id}; if so, forgets it. */
  static boolean take(String id) {
    if (!id.equals(LAST.get())) {
      return false;
    }
    LAST.remove();
    return true;
  }
}
