package io.taskgrid.grid;

import java.util.Map;

/**
 * The new tasks a submit processor is about to enter on this member, for the map store to answer
 * their load from. Hazelcast loads an absent key before it runs a processor on it, one key at a
 * time on the partition thread: a database read per new task, which would only read back the row
 * the receiving member's journal has just inserted. A processor sent from another member is
 * deserialized on that same thread just before it runs, so it leaves its tasks here
 * ({@link SubmitTask}) and the load takes them back: on the backup, every task the owner entered;
 * on the owner, the tasks whose rows the sending member's journal inserted (so the row is the
 * candidate, byte for byte; a task whose row was already there loads from the database).
 */
public final class IncomingTasks {
  // Per partition thread: set when a submit processor is read, emptied as its keys load or are
  // entered, replaced by the next one. A thread runs one operation at a time, so this is the
  // current operation's. Should Hazelcast drop an operation it has read (a stale backup, a
  // partition that moved), its tasks stay here until the next one replaces them, and a load of one
  // of them meanwhile answers the task as it was journaled; the owner then enters it from the
  // journaled row anyway, and a backup is re-synced from its owner.
  private static final ThreadLocal<Map<String, TaskRecord>> EXPECTED = new ThreadLocal<>();

  private IncomingTasks() {}

  static void expect(Map<String, TaskRecord> tasks) {
    EXPECTED.set(tasks);
  }

  /** The task a processor on this thread is about to enter under {@code id}, or null; once. */
  public static TaskRecord take(String id) {
    Map<String, TaskRecord> expected = EXPECTED.get();
    return expected == null ? null : expected.remove(id);
  }
}
