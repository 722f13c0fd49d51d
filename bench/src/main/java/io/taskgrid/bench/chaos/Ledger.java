package io.taskgrid.bench.chaos;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the cluster told the load's callers, task by task: the end each acknowledged task must
 * reach, and the submissions whose answer never came. Written by the load's threads, read by the
 * check once they have stopped; concurrent collections, since several threads record at once.
 */
final class Ledger {
  /** How an acknowledged task must end. */
  enum Expect {
    /** Submitted (201 or 200), or cancelled too late (409): its handler never fails. */
    COMPLETED,
    /** Cancelled with 200: it must never complete. */
    CANCELLED,
    /** A cancel whose answer never came: either end is right. */
    COMPLETED_OR_CANCELLED,
    /** Cancelled with 200 while the cluster was split: the other side's end of the attempt may outrank it. */
    CANCELLED_DURING_SPLIT
  }

  private final Map<String, Expect> acknowledged = new ConcurrentHashMap<>();
  // Answered 503: "a rejected request stores nothing" (README), so these must not exist.
  private final Set<String> refused = ConcurrentHashMap.newKeySet();
  // No answer (connection lost, timeout): the task may or may not exist; if it does, it completes.
  private final Set<String> unanswered = ConcurrentHashMap.newKeySet();

  void acknowledged(String id) {
    acknowledged.put(id, Expect.COMPLETED);
  }

  void cancelled(String id, Expect expect) {
    acknowledged.put(id, expect);
  }

  void refused(String id) {
    refused.add(id);
  }

  void unanswered(String id) {
    unanswered.add(id);
  }

  Map<String, Expect> acknowledged() {
    return acknowledged;
  }

  Set<String> refused() {
    return refused;
  }

  Set<String> unanswered() {
    return unanswered;
  }
}
