package io.taskgrid.node.persistence;

import io.taskgrid.grid.ReenterFromDatabase;
import java.util.List;

/**
 * Enters the submissions a departed member journaled but never entered: rows the database holds
 * PENDING, journaled by that member, that no member holds in memory. A member that dies between
 * its journal's commit and its submit processor leaves such rows, and nothing else would bring
 * them in before the whole cluster restarts. One member runs it once the departed member's
 * partitions have been promoted: each row is sent to its owner, which enters it, backed up and
 * indexed, if it is absent from memory ({@link ReenterFromDatabase#absentTasks}). The tasks the
 * departed member had entered are in memory already, and are left as they are.
 */
public class JournalAdoption {
  private final TaskMapStore database;
  private final Reentry reentry;

  JournalAdoption(TaskMapStore database, Reentry reentry) {
    this.database = database;
    this.reentry = reentry;
  }

  /**
   * Brings into the map the rows {@code memberId} journaled that are still PENDING and absent from
   * memory.
   */
  public Adopted adopt(String memberId) {
    List<String> journaled = database.pendingJournaledBy(memberId);
    return new Adopted(journaled.size(), reentry.absentTasks(journaled));
  }

  /** How many PENDING rows the departed member had journaled, and how many of them were entered. */
  public record Adopted(int read, int entered) {}
}
