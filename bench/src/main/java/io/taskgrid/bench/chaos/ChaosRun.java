package io.taskgrid.bench.chaos;

import io.taskgrid.bench.chaos.EndStates.End;
import io.taskgrid.bench.chaos.Ledger.Expect;
import io.taskgrid.bench.cluster.NodeCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A chaos run ({@code scripts/chaos.sh}): REST load on a fresh cluster of node JVMs while nodes
 * are killed, stopped, frozen, joined, and the whole cluster crashes or stops (and, with the
 * options, the database goes away or the network splits), one fault every 6-14 s. Then every task
 * must have ended as its caller was told: each acknowledged submission COMPLETED (or CANCELLED,
 * when a cancel answered 200 outside a split), none refused with 503 stored; and once every change
 * is written, a crash of every node and a restart must change no ended task. Exits 1 when any of
 * that fails, listing the tasks.
 */
public final class ChaosRun {
  private static final String USAGE = """
      Usage: scripts/chaos.sh [--minutes M] [--rate R] [--seed S] [--quick] [--postgres] [--splits]
                              [--faults F,...]
        --minutes M   how long faults hit the cluster (default 10; quick 1)
        --rate R      submissions per second over REST, batches of 20 counted as one (default 100)
        --seed S      the faults' and the load's random seed (default: the time); printed at start
        --quick       one minute, a smoke test
        --postgres    the nodes share a throw-away PostgreSQL server instead of a SQLite file, and
                      database outages join the faults
        --splits      each node's Hazelcast on an address of its own (127.0.0.i), and splits join the
                      faults: one node's traffic to the others dropped by iptables (needs root)
        --faults F,...  only these faults, drawn at random (default: all; names as printed)""";
  private static final Duration CHECK_TIMEOUT = Duration.ofMinutes(10);
  private static final int SHOWN = 20;
  private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

  private final Path root;
  private final double minutes;
  private final double rate;
  private final long seed;
  private final ChaosDatabase database;
  private final boolean splits;
  private final List<Fault> possible;

  private ChaosRun(Path root, double minutes, double rate, long seed, ChaosDatabase database, boolean splits,
      List<Fault> possible) {
    this.root = root;
    this.minutes = minutes;
    this.rate = rate;
    this.seed = seed;
    this.database = database;
    this.splits = splits;
    this.possible = possible;
  }

  public static void main(String[] args) throws Exception {
    double minutes = 10;
    double rate = 100;
    long seed = System.currentTimeMillis();
    boolean postgres = false;
    boolean splits = false;
    List<Fault> only = null;
    try {
      for (int i = 0; i < args.length; i++) {
        switch (args[i]) {
          case "--minutes" -> minutes = Double.parseDouble(args[++i]);
          case "--rate" -> rate = Double.parseDouble(args[++i]);
          case "--seed" -> seed = Long.parseLong(args[++i]);
          case "--quick" -> minutes = 1;
          case "--postgres" -> postgres = true;
          case "--splits" -> splits = true;
          case "--faults" -> only = Arrays.stream(args[++i].split(",")).map(String::trim).map(ChaosRun::fault).toList();
          case "--help" -> {
            System.out.println(USAGE);
            return;
          }
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
    } catch (RuntimeException e) {
      System.err.println("chaos: " + e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
    }
    Path root = Path.of(System.getProperty("taskgrid.root", ".")).toAbsolutePath().normalize();
    ChaosDatabase database;
    List<Fault> faults;
    try {
      database = postgres ? ChaosDatabase.postgres(root, System.getenv()) : ChaosDatabase.sqlite(root);
      List<Fault> possible = Fault.possible(database.canFail(), splits);
      faults = possible;
      if (only != null) {
        List<Fault> impossible = only.stream().filter(fault -> !possible.contains(fault)).toList();
        if (!impossible.isEmpty()) {
          throw new IllegalArgumentException(impossible + " cannot happen here (outages need --postgres, splits --splits)");
        }
        faults = only;
      }
    } catch (IllegalArgumentException e) {
      System.err.println("chaos: " + e.getMessage());
      System.exit(2);
      return;
    }
    boolean passed = new ChaosRun(root, minutes, rate, seed, database, splits, faults).run();
    System.exit(passed ? 0 : 1);
  }

  private static Fault fault(String name) {
    try {
      return Fault.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown fault " + name + ", not one of " + Arrays.toString(Fault.values()));
    }
  }

  private boolean run() throws Exception {
    log("seed %d, %.1f minutes of faults, %.0f submissions/s, %s", seed, minutes, rate, database);
    Random random = new Random(seed);
    Ledger ledger = new Ledger();
    Map<Fault, Integer> faults = new EnumMap<>(Fault.class);
    try (NodeCluster cluster = NodeCluster.start(root, root.resolve("run/chaos"), 3, "512m", database.nodeArgs(),
        false, splits); NetworkSplit network = splits ? NetworkSplit.open(cluster) : null) {
      ChaosTarget target = new ChaosTarget(cluster, database, network);
      // The load goes on through every fault, to whichever nodes run at the moment.
      ChaosLoad load = new ChaosLoad(cluster::httpUrls, network == null ? () -> false : network::mayBeSplit, ledger,
          rate, seed);
      load.start();
      long end = System.nanoTime() + (long) (minutes * 60e9);
      while (System.nanoTime() < end) {
        TimeUnit.MILLISECONDS.sleep(6_000 + random.nextInt(8_000));
        Fault fault = possible.get(random.nextInt(possible.size()));
        log("%,d tasks acknowledged: %s", ledger.acknowledged().size(), fault);
        faults.merge(fault, 1, Integer::sum);
        fault.apply(target, random);
        ClusterWhole.await(cluster);
        if (network != null) {
          network.whole();
        }
      }
      load.stop();
      log("faults: %s; %,d requests", faults, load.requests());
      return check(target, ledger);
    }
  }

  private boolean check(ChaosTarget target, Ledger ledger) throws Exception {
    NodeCluster cluster = target.cluster();
    Set<String> ids = new HashSet<>(ledger.acknowledged().keySet());
    ids.addAll(ledger.refused());
    ids.addAll(ledger.unanswered());
    Map<String, End> ends = new EndStates(cluster.httpUrls()).read(ids, CHECK_TIMEOUT);
    List<String> wrong = new ArrayList<>();
    ledger.acknowledged().forEach((id, expect) -> {
      End end = ends.get(id);
      if (end == null || !expected(expect, end)) {
        wrong.add(id + ": acknowledged, expected " + expect + ", found " + (end == null ? "no answer" : end));
      }
    });
    for (String id : ledger.refused()) {
      if (ends.get(id) != End.ABSENT) {
        wrong.add(id + ": refused with 503, found " + ends.get(id));
      }
    }
    for (String id : ledger.unanswered()) {
      End end = ends.get(id);
      if (end == null || !(end == End.ABSENT || end.status().equals("COMPLETED"))) {
        wrong.add(id + ": unanswered, expected absent or COMPLETED, found " + end);
      }
    }
    long retried = ends.values().stream().filter(e -> e.attempts() > 1).count();
    log("%,d acknowledged, %,d refused, %,d unanswered (%,d of them stored); %,d ran more than once; %d wrong",
        ledger.acknowledged().size(), ledger.refused().size(), ledger.unanswered().size(),
        ledger.unanswered().stream().filter(id -> ends.get(id) != End.ABSENT).count(), retried, wrong.size());
    wrong.stream().limit(SHOWN).forEach(w -> log("  WRONG %s", w));
    Map<String, Long> splitCancels = ledger.acknowledged().entrySet().stream()
        .filter(e -> e.getValue() == Expect.CANCELLED_DURING_SPLIT && ends.get(e.getKey()) != null)
        .collect(Collectors.groupingBy(e -> ends.get(e.getKey()).status(), TreeMap::new, Collectors.counting()));
    if (!splitCancels.isEmpty()) {
      log("cancels answered 200 while split, by end: %s", splitCancels);
    }

    // Every change written behind, then every node killed: what the database holds must be what was read.
    ClusterWhole.awaitWritten(cluster);
    Fault.CRASH_ALL.apply(target, new Random(seed));
    ClusterWhole.await(cluster);
    List<String> stored = ends.entrySet().stream().filter(e -> e.getValue() != End.ABSENT && e.getValue().ended())
        .map(Map.Entry::getKey).toList();
    Map<String, End> after = new EndStates(cluster.httpUrls()).read(stored, CHECK_TIMEOUT);
    List<String> changed = stored.stream().filter(id -> !ends.get(id).equals(after.get(id)))
        .map(id -> id + ": " + ends.get(id) + " before the crash, " + after.get(id) + " after").toList();
    log("after a crash of every node and a restart: %,d ended tasks read again, %d changed", stored.size(),
        changed.size());
    changed.stream().limit(SHOWN).forEach(c -> log("  CHANGED %s", c));
    boolean passed = wrong.isEmpty() && changed.isEmpty();
    log(passed ? "PASSED" : "FAILED");
    return passed;
  }

  private static boolean expected(Expect expect, End end) {
    return switch (expect) {
      case COMPLETED -> end.status().equals("COMPLETED");
      case CANCELLED -> end.status().equals("CANCELLED");
      case COMPLETED_OR_CANCELLED, CANCELLED_DURING_SPLIT ->
          end.status().equals("COMPLETED") || end.status().equals("CANCELLED");
    };
  }

  private static void log(String format, Object... args) {
    System.out.printf("[%s] chaos: %s%n", LocalTime.now().format(CLOCK), format.formatted(args));
  }
}
