package io.taskgrid.grid;

import java.util.Map;

/**
 * The tasks a submission's backup is about to enter on this member, for the map store to answer
 * their load from. Hazelcast loads an absent key on the backup before it runs the backup processor
 * there, one key at a time on the partition thread — a database read per new task whose result the
 * backup processor then overwrites. The processor is deserialized on that same thread just before
 * it runs, so it leaves its tasks here ({@link SubmitTask}) and the load takes them back.
 */
public final class IncomingBackup {
  // Per partition thread: set when a backup submit processor is read, emptied as its keys load or
  // are entered, replaced by the next one. A thread runs one operation at a time, so this is the
  // current operation's. Should Hazelcast drop a backup it has read (a stale replica version), its
  // tasks stay here until the next one replaces them, and a load of one of them meanwhile answers
  // the task as it was journaled; the partition is then re-synced from its owner anyway.
  private static final ThreadLocal<Map<String, TaskRecord>> EXPECTED = new ThreadLocal<>();

  private IncomingBackup() {}

  static void expect(Map<String, TaskRecord> tasks) {
    EXPECTED.set(tasks);
  }

  /** The task a backup on this thread is about to enter under {@code id}, or null; once. */
  public static TaskRecord take(String id) {
    Map<String, TaskRecord> expected = EXPECTED.get();
    return expected == null ? null : expected.remove(id);
  }
}
