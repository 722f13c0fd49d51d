package io.taskgrid.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

/**
 * Reads the nodes' own counters from their Prometheus endpoint: attempts completed, tasks
 * pending, slots busy, the submission journal's waits and transactions, the database's write
 * transactions, and the JVMs' GC pauses, summed over the nodes.
 * Cheap enough to sample several times a second while a workload runs (an aggregation over the
 * task map would not be).
 */
public final class NodeMetrics {
  /**
   * Sums over the nodes that answered. The journal's figures are zero when the nodes do not
   * persist tasks: how many waits for the journal ended and their total seconds, how many
   * of those waits ended within 10 ms and within 50 ms (the nodes' histogram buckets), how many
   * transactions it committed and the tasks they carried. Then the database's write transactions,
   * begun to committed (with SQLite, the time each held the file's one write lock): how many
   * write-behind ran and their seconds, the journal's seconds, how many of the journal's ran and
   * how many of those within 50 ms, and how many of the journal's waits for SQLite's write lock
   * ended, how many of those within 10 ms, and their seconds. Then the GC pauses the node JVMs have
   * taken since they started, of every kind (Micrometer's {@code jvm.gc.pause}), and their seconds.
   */
  public record Totals(long completed, long pending, long running, long unwritten,
      long journalWaits, double journalWaitSeconds, long journalWaitsWithin10ms, long journalWaitsWithin50ms,
      long journalTransactions, long journalTasks,
      long writeBehindTransactions, double writeBehindSeconds, double journalTransactionSeconds,
      long journalTransactionsTimed, long journalTransactionsWithin50ms,
      long journalLockWaits, long journalLockWaitsWithin10ms, double journalLockWaitSeconds, long gcPauses,
      double gcPauseSeconds) {}

  // Only the series read below, named as metric families (a counter's family has no _total):
  // the whole page (JVM, Hazelcast, HTTP metrics, 12 KB) cost the nodes 2 % of their CPU at two
  // scrapes a second, taken from the workload being measured.
  private static final String QUERY = "/actuator/prometheus?includedNames="
      + "taskgrid_attempts,taskgrid_tasks_pending,taskgrid_slots_busy,taskgrid_store_unwritten,"
      + "taskgrid_journal_wait_seconds,taskgrid_journal_transactions_tasks,taskgrid_database_transaction_seconds,"
      + "taskgrid_database_lock_wait_seconds,jvm_gc_pause_seconds";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private NodeMetrics() {}

  public static Totals scrape(List<String> httpUrls) {
    long completed = 0;
    long pending = 0;
    long running = 0;
    long unwritten = 0;
    long journalWaits = 0;
    double journalWaitSeconds = 0;
    long journalWaitsWithin10ms = 0;
    long journalWaitsWithin50ms = 0;
    long journalTransactions = 0;
    long journalTasks = 0;
    long writeBehindTransactions = 0;
    double writeBehindSeconds = 0;
    double journalTransactionSeconds = 0;
    long journalTransactionsTimed = 0;
    long journalTransactionsWithin50ms = 0;
    long journalLockWaits = 0;
    long journalLockWaitsWithin10ms = 0;
    double journalLockWaitSeconds = 0;
    long gcPauses = 0;
    double gcPauseSeconds = 0;
    for (String url : httpUrls) {
      String text;
      try {
        text = HTTP.send(HttpRequest.newBuilder(URI.create(url + QUERY))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
      } catch (IOException e) {
        continue; // a node just killed, or too busy to answer this once
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      for (String line : text.split("\n")) {
        if (line.startsWith("taskgrid_attempts_total{") && line.contains("outcome=\"completed\"")) {
          completed += value(line);
        } else if (line.startsWith("taskgrid_tasks_pending")) {
          pending += value(line);
        } else if (line.startsWith("taskgrid_slots_busy")) {
          running += value(line);
        } else if (line.startsWith("taskgrid_store_unwritten")) {
          unwritten += value(line);
        } else if (line.startsWith("taskgrid_journal_wait_seconds_count")) {
          journalWaits += value(line);
        } else if (line.startsWith("taskgrid_journal_wait_seconds_sum")) {
          journalWaitSeconds += number(line);
        } else if (line.startsWith("taskgrid_journal_wait_seconds_bucket{") && line.contains("le=\"0.01\"")) {
          journalWaitsWithin10ms += value(line);
        } else if (line.startsWith("taskgrid_journal_wait_seconds_bucket{") && line.contains("le=\"0.05\"")) {
          journalWaitsWithin50ms += value(line);
        } else if (line.startsWith("taskgrid_journal_transactions_tasks_count")) {
          journalTransactions += value(line);
        } else if (line.startsWith("taskgrid_journal_transactions_tasks_sum")) {
          journalTasks += value(line);
        } else if (line.startsWith("taskgrid_database_transaction_seconds_count{")
            && line.contains("kind=\"write-behind\"")) {
          writeBehindTransactions += value(line);
        } else if (line.startsWith("taskgrid_database_transaction_seconds_sum{")
            && line.contains("kind=\"write-behind\"")) {
          writeBehindSeconds += number(line);
        } else if (line.startsWith("taskgrid_database_transaction_seconds_sum{") && line.contains("kind=\"journal\"")) {
          journalTransactionSeconds += number(line);
        } else if (line.startsWith("taskgrid_database_transaction_seconds_count{") && line.contains("kind=\"journal\"")) {
          journalTransactionsTimed += value(line);
        } else if (line.startsWith("taskgrid_database_transaction_seconds_bucket{") && line.contains("kind=\"journal\"")
            && line.contains("le=\"0.05\"")) {
          journalTransactionsWithin50ms += value(line);
        } else if (line.startsWith("taskgrid_database_lock_wait_seconds_count{") && line.contains("kind=\"journal\"")) {
          journalLockWaits += value(line);
        } else if (line.startsWith("taskgrid_database_lock_wait_seconds_bucket{") && line.contains("kind=\"journal\"")
            && line.contains("le=\"0.01\"")) {
          journalLockWaitsWithin10ms += value(line);
        } else if (line.startsWith("taskgrid_database_lock_wait_seconds_sum{") && line.contains("kind=\"journal\"")) {
          journalLockWaitSeconds += number(line);
        } else if (line.startsWith("jvm_gc_pause_seconds_count{")) {
          gcPauses += value(line); // one series per collector, action and cause
        } else if (line.startsWith("jvm_gc_pause_seconds_sum{")) {
          gcPauseSeconds += number(line);
        }
      }
    }
    return new Totals(completed, pending, running, unwritten, journalWaits, journalWaitSeconds, journalWaitsWithin10ms,
        journalWaitsWithin50ms, journalTransactions, journalTasks, writeBehindTransactions, writeBehindSeconds,
        journalTransactionSeconds, journalTransactionsTimed, journalTransactionsWithin50ms, journalLockWaits,
        journalLockWaitsWithin10ms, journalLockWaitSeconds, gcPauses, gcPauseSeconds);
  }

  private static long value(String line) {
    return (long) number(line);
  }

  private static double number(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
