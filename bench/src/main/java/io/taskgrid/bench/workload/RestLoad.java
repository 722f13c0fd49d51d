package io.taskgrid.bench.workload;

import io.taskgrid.bench.cluster.NodeCluster;
import io.taskgrid.bench.cluster.NodeMetrics;
import io.taskgrid.bench.report.Figure;
import io.taskgrid.bench.report.Report;
import io.taskgrid.bench.report.ReportWriter;
import io.taskgrid.bench.report.WorkloadResult;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Workload 2: open-loop REST load. Requests are due on a fixed schedule, round robin over the
 * nodes, whether or not earlier ones were answered; {@value #SENDERS_PER_NODE} sender threads per
 * node send them, each over its own keep-alive connection to every node ({@link KeepAliveHttp}),
 * and each latency counts from when its request was due, so a stall shows as latency instead of a
 * lower offered rate (no coordinated omission).
 * Submit→start comes from the tasks' own timestamps.
 *
 * <p>The connections are opened by the warm-up and kept for every rate after it, as a client that
 * keeps its connections alive would: a node's Jetty allocates about 100 KB per new connection (its
 * parser's header cache), and 96 new connections per node at the start of each rate had made the
 * node's first young pause in it copy 9-12.6 MB instead of about 3-4 MB (pauses of 16-96 ms
 * inside the measurement; docs/performance-history.md, session 28).
 */
public final class RestLoad implements AutoCloseable {
  private static final int TIMEOUT_MS = 10_000;
  /** Sender threads per node. */
  private static final int SENDERS_PER_NODE = 32;

  private final NodeCluster cluster;
  /**
   * Sender {@code t}'s connection to each node, in the order of the nodes' URLs. Only the sender
   * threads of one rate at a time use them, each its own list; a rate's senders have ended (seen
   * through {@link Thread#isAlive}) before the next rate's start.
   */
  private final List<List<KeepAliveHttp>> connections;

  /** The load for {@code cluster}; its connections open at the first requests and stay open until {@link #close}. */
  public RestLoad(NodeCluster cluster) {
    this.cluster = cluster;
    List<URI> urls = cluster.httpUrls().stream().map(RestLoad::tasksUrl).toList();
    this.connections = new ArrayList<>();
    for (int t = 0; t < SENDERS_PER_NODE * urls.size(); t++) {
      connections.add(urls.stream().map(url -> new KeepAliveHttp(url, TIMEOUT_MS)).toList());
    }
  }

  @Override
  public void close() {
    connections.forEach(nodes -> nodes.forEach(KeepAliveHttp::close));
  }

  /** The share (%) of {@code count} waits that passed 10 ms, from how many ended within it (the nodes' bucket). */
  private static double percentOver10ms(long count, long within10ms) {
    return 100.0 * (count - within10ms) / count;
  }

  private static URI tasksUrl(String base) {
    return URI.create(base + "/api/tasks");
  }

  /** One submission over a sender's keep-alive connection to the node; whether it was accepted (2xx). */
  private static boolean post(KeepAliveHttp node, String body) {
    try {
      return node.post(body) / 100 == 2;
    } catch (IOException e) {
      return false;
    }
  }

  /** What one schedule of requests got. */
  private record Offered(Histogram latency, long accepted, long refused, double seconds) {}

  /**
   * Brings freshly started nodes to speed before anything is measured: {@code seconds} of the same
   * load, then waits until its tasks have started. (Cold node JVMs on 2 cores take about 20 s to
   * reach 1,000/s: class loading and JIT compilation.)
   */
  public void warmUp(int rate, int seconds) {
    String prefix = "w2-warm-up-";
    Offered warm = offer(prefix, rate, seconds);
    System.out.printf(Locale.ROOT, "    warm-up: %,.0f accepted/s%n", warm.accepted() / warm.seconds());
    Waits.until("the warm-up tasks to start", Duration.ofMinutes(5), 200,
        () -> GridOps.count(cluster.client(), prefix, TaskStatus.PENDING) == 0);
  }

  /**
   * Sends {@code rate} submissions/s for {@code seconds}, like wrk2: a fixed pool of keep-alive
   * connections works through one schedule. A request that finds every sender busy leaves late, and
   * its latency still counts from when it was due.
   */
  private Offered offer(String prefix, int rate, int seconds) {
    Recorder submitLatency = new Recorder(3);
    AtomicLong accepted = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    AtomicInteger next = new AtomicInteger();
    // When the last answer came: the offered span ends there, not at the next progress tick.
    AtomicLong lastAnswer = new AtomicLong();
    int total = rate * seconds;
    long periodNanos = 1_000_000_000L / rate;
    long start = System.nanoTime() + 100_000_000L;
    List<Thread> senders = new ArrayList<>();
    for (int t = 0; t < connections.size(); t++) {
      // This sender's own connection to each node.
      List<KeepAliveHttp> nodes = connections.get(t);
      Thread sender = new Thread(() -> {
        int i;
        while ((i = next.getAndIncrement()) < total) {
          long due = start + i * periodNanos;
          long wait;
          while ((wait = due - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
          }
          // A request already a timeout late is given up unsent, as a client would: it counts as refused.
          boolean ok = System.nanoTime() - due < TIMEOUT_MS * 1_000_000L
              && post(nodes.get(i % nodes.size()), "{\"id\":\"" + prefix + i + "\",\"type\":\"echo\",\"payload\":\"\"}");
          long answered = System.nanoTime();
          submitLatency.recordValue(Math.max(1, (answered - due) / 1000));
          lastAnswer.accumulateAndGet(answered, Math::max);
          (ok ? accepted : refused).incrementAndGet();
        }
      }, "rest-sender-" + t);
      sender.setDaemon(true);
      sender.start();
      senders.add(sender);
    }
    while (senders.stream().anyMatch(Thread::isAlive)) {
      Waits.pause(2_000);
      System.out.printf(Locale.ROOT, "    rest %,d/s: %,d due, %,d accepted, %,d refused%n", rate,
          Math.max(0, Math.min(total, (System.nanoTime() - start) / periodNanos)), accepted.get(), refused.get());
    }
    double elapsed = (lastAnswer.get() - start) / 1e9;
    return new Offered(submitLatency.getIntervalHistogram(), accepted.get(), refused.get(), elapsed);
  }

  /**
   * What one offered rate achieved, for the report's highest rate sustained with submit p99 ≤ 50 ms.
   *
   * @param sustained at least 99 % of the offered rate accepted and none refused
   */
  public record Rate(int offered, boolean sustained, double submitP99Ms) {
    /** Whether this rate was sustained with a submit p99 of at most {@code ms}. */
    public boolean heldP99Within(double ms) {
      return sustained && submitP99Ms <= ms;
    }
  }

  /**
   * Offers {@code rate} submissions/s for {@code seconds}; adds its figures to {@code result}. Only
   * 1,000/s carries the targets of issue 4; the other rates are reported.
   */
  public Rate run(Report report, WorkloadResult result, int rate, int seconds) {
    String prefix = "w2-" + rate + "-";
    int total = rate * seconds;
    GeneratorGc generatorBefore = GeneratorGc.collect();
    NodeMetrics.Totals before = NodeMetrics.scrape(cluster.httpUrls());
    CpuUse.Meter meter = CpuUse.start(cluster.pids());
    Offered offered = offer(prefix, rate, seconds);
    CpuUse cpu = meter.stop();
    GeneratorGc generator = GeneratorGc.now().since(generatorBefore);
    NodeMetrics.Totals after = NodeMetrics.scrape(cluster.httpUrls());
    double elapsed = offered.seconds();
    Histogram submit = offered.latency();
    long accepted = offered.accepted();
    long refused = offered.refused();
    report.latency("REST submit @" + rate + "/s", submit);

    List<String> ids = new ArrayList<>(total);
    for (int i = 0; i < total; i++) {
      ids.add(prefix + i);
    }
    Waits.until("the REST tasks to start", Duration.ofMinutes(5), 200,
        () -> GridOps.count(cluster.client(), prefix, TaskStatus.PENDING) == 0);
    Histogram toStart = new Histogram(3);
    for (TaskView v : GridOps.views(cluster.client(), ids)) {
      if (v.startedAt() != null) {
        toStart.recordValue(Math.max(1, Duration.between(v.submittedAt(), v.startedAt()).toNanos() / 1000));
      }
    }
    report.latency("REST submit→start @" + rate + "/s", toStart);

    double achieved = accepted / elapsed;
    Map<String, Double> s = ReportWriter.percentilesMs(submit);
    Map<String, Double> st = ReportWriter.percentilesMs(toStart);
    String at = " @" + rate + "/s";
    boolean sustained = achieved >= 0.99 * rate && refused == 0;
    Figure acceptedRate = Figure.of("accepted submissions" + at, "/s", achieved);
    result.add(rate == 1_000 ? acceptedRate.target("≥ " + rate + "/s, none refused", sustained) : acceptedRate);
    result.add(Figure.of("submit p50" + at, "ms", s.get("p50")));
    Figure p99 = Figure.of("submit p99" + at, "ms", s.get("p99"));
    result.add(rate == 1_000 ? p99.target("≤ 20 ms", s.get("p99") <= 20) : p99);
    result.add(Figure.of("submit p99.9" + at, "ms", s.get("p99.9")));
    result.add(Figure.of("submit→start p50" + at, "ms", st.get("p50")));
    Figure startP99 = Figure.of("submit→start p99" + at, "ms", st.get("p99"));
    result.add(rate == 1_000 ? startP99.target("≤ 10 ms", st.get("p99") <= 10) : startP99);
    result.add(Figure.of("submit→start p99.9" + at, "ms", st.get("p99.9")));
    result.add(Figure.of("node CPU per accepted submission" + at, "ms", cpu.nodeMsPer(accepted)));
    result.add(Figure.of("CPU in use, nodes and load generator (of " + CpuUse.CORES + ")" + at, "cores", cpu.coresBusy()));
    cpu.addSpeed(result, at);
    long waits = after.journalWaits() - before.journalWaits();
    long transactions = after.journalTransactions() - before.journalTransactions();
    if (waits > 0 && transactions > 0) {
      // What the database adds to a submission, from the nodes' own meters (none without persistence).
      result.add(Figure.of("journal wait per submission, mean" + at, "ms",
          (after.journalWaitSeconds() - before.journalWaitSeconds()) * 1000 / waits));
      // The tail: a wait past 10 ms on more than 1 % of submissions shows in the submit p99.
      result.add(Figure.of("journal waits over 10 ms, share of submissions" + at, "%",
          percentOver10ms(waits, after.journalWaitsWithin10ms() - before.journalWaitsWithin10ms())));
      // A stall: submissions that waited over 50 ms for the journal (session 23 saw some wait most
      // of a second), and whether a journal transaction itself ran that long (begun to committed)
      // or the wait was elsewhere (the line behind it, the lock, the pool's connection).
      result.add(Figure.of("journal waits over 50 ms" + at, "submissions",
          waits - (after.journalWaitsWithin50ms() - before.journalWaitsWithin50ms())));
      long timed = after.journalTransactionsTimed() - before.journalTransactionsTimed();
      result.add(Figure.of("journal transactions over 50 ms, begun to committed" + at, "transactions",
          timed - (after.journalTransactionsWithin50ms() - before.journalTransactionsWithin50ms())));
      result.add(Figure.of("submissions per journal transaction, mean" + at, "tasks",
          (double) (after.journalTasks() - before.journalTasks()) / transactions));
      // How much of that tail is the wait for SQLite's write lock itself, not the line behind this
      // node's own transaction in progress.
      long lockWaits = after.journalLockWaits() - before.journalLockWaits();
      if (lockWaits > 0) {
        result.add(Figure.of("journal transactions that waited over 10 ms for the write lock, share" + at, "%",
            percentOver10ms(lockWaits, after.journalLockWaitsWithin10ms() - before.journalLockWaitsWithin10ms())));
        // A submission's wait beyond these two is time in line behind its node's head and time its
        // thread waits for a core (session 27: 4.6-9.0 ms against 0.9-1.5 ms at 1,000/s).
        result.add(Figure.of("journal transaction's wait for the write lock, mean" + at, "ms",
            (after.journalLockWaitSeconds() - before.journalLockWaitSeconds()) * 1000 / lockWaits));
      }
      if (timed > 0) {
        result.add(Figure.of("journal transaction, begun to committed, mean" + at, "ms",
            (after.journalTransactionSeconds() - before.journalTransactionSeconds()) * 1000 / timed));
      }
      // Who holds the database's one write lock (SQLite, shared by every node) that the journals
      // wait for: the journals themselves, or the write-behind of the changes of state.
      result.add(Figure.of("database write lock held by journals, share of the time" + at, "%",
          100 * (after.journalTransactionSeconds() - before.journalTransactionSeconds()) / elapsed));
      double writeBehind = after.writeBehindSeconds() - before.writeBehindSeconds();
      long writeBehinds = after.writeBehindTransactions() - before.writeBehindTransactions();
      result.add(Figure.of("database write lock held by write-behind, share of the time" + at, "%",
          100 * writeBehind / elapsed));
      if (writeBehinds > 0) {
        result.add(Figure.of("write-behind transaction, mean" + at, "ms", writeBehind * 1000 / writeBehinds));
      }
    }
    // A submission waits out any pause of the nodes it touches (receiver, owner, backup): when
    // more than 1 % of them meet one, the pauses' length shows in the p99.
    GcPauses.between(before, after, elapsed, cluster.httpUrls().size()).addTo(result, at);
    generator.addTo(result, at);
    if (refused > 0) {
      result.note(String.format(Locale.ROOT, "At %,d/s %,d of %,d submissions were refused or timed out.",
          rate, refused, total));
    }
    result.data("rate" + rate, Map.of("offered", rate, "seconds", seconds, "accepted", accepted,
        "refused", refused, "achievedPerSecond", achieved, "submitMs", s, "submitToStartMs", st,
        "nodeCpuMsPerSubmission", cpu.nodeMsPer(accepted), "coresBusy", cpu.coresBusy()));
    return new Rate(rate, sustained, s.get("p99"));
  }
}
