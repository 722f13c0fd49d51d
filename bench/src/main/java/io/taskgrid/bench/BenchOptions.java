package io.taskgrid.bench;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What to run and how big: the command line of the benchmark. {@code --quick} shrinks every
 * workload to a smoke test (seconds, not minutes); its figures mean nothing.
 *
 * @param root the TaskGrid checkout (scripts/, hazelcast.yaml)
 * @param out where the report goes
 * @param nodes node JVMs of the main cluster
 * @param workloads the workloads to run, in this order
 * @param quick small sizes
 * @param heap -Xmx of every member JVM
 * @param jvmFlags the flags scripts/common.sh gives node JVMs, for the baseline members too
 * @param nodeArgs extra Spring arguments for every TaskGrid node
 * @param tasks no-op tasks of workloads 1 and 5 when not the default (100,000; quick 2,000), else null
 * @param restWarmUp seconds at 1,000/s before workload 2 is measured when not the default (20; quick 2), else null
 * @param profile whether TaskGrid nodes record with Java Flight Recorder (a .jfr per node in run/)
 * @param help print usage and stop
 */
public record BenchOptions(
    Path root,
    Path out,
    int nodes,
    Set<String> workloads,
    boolean quick,
    String heap,
    List<String> jvmFlags,
    List<String> nodeArgs,
    boolean profile,
    Integer tasks,
    Integer restWarmUp,
    boolean help) {

  /** Every workload, in the order a full run takes them. */
  public static final List<String> ALL = List.of("raw", "throughput", "rest", "makespan", "failover", "scaling", "memory");
  /** Workloads run only when named: 1,000,000 tasks through a cluster, for the durability docs. */
  public static final List<String> EXTRA = List.of("churn");

  public static final String USAGE = """
      usage: scripts/bench.sh [--quick] [--nodes N] [--workloads a,b,...] [--out DIR] [--heap SIZE]
                              [--node-arg --taskgrid.x=y ...] [--profile] [--tasks N] [--rest-warm-up S]
        --quick       every workload small: a smoke test of the tool, not a measurement (scaling on
                      1 node and all of them; failover of DurableExecutorService, not IExecutorService,
                      and TaskGrid's on the cluster of workloads 1-3; the machine's speed at the start only)
        --nodes N     node JVMs in the cluster (default 3)
        --workloads   any of %s (default all), or %s
        --out DIR     report folder (default bench/results/<date>)
        --heap SIZE   -Xmx of every member JVM (default 2g)
        --node-arg A  passes A to every TaskGrid node, e.g. --node-arg --taskgrid.persistence.enabled=false
        --tasks N     no-op tasks in workloads 1 and 5 (default 100,000; quick 2,000)
        --rest-warm-up S  seconds at 1,000 submissions/s before workload 2 is measured (default 20;
                      quick 2), e.g. 150 to measure nodes whose C2 JIT has compiled
        --profile     TaskGrid nodes record with Java Flight Recorder; <out>/run/node-<i>-<n>.jfr
      """.formatted(String.join(",", ALL), String.join(",", EXTRA));

  public static BenchOptions parse(String[] args) {
    Path root = Path.of(System.getProperty("taskgrid.root", ".")).toAbsolutePath().normalize();
    Path out = null;
    int nodes = 3;
    Set<String> workloads = new LinkedHashSet<>(ALL);
    boolean quick = false;
    String heap = "2g";
    List<String> nodeArgs = new ArrayList<>();
    boolean help = false;
    boolean profile = false;
    Integer tasks = null;
    Integer restWarmUp = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      switch (arg) {
        case "--quick" -> quick = true;
        case "--profile" -> profile = true;
        case "--tasks" -> tasks = number(value(args, ++i, arg), arg, 1, Integer.MAX_VALUE, "a positive number");
        case "--rest-warm-up" -> restWarmUp = number(value(args, ++i, arg), arg, 1, 3_600, "a number of seconds from 1 to 3600");
        case "--help", "-h" -> help = true;
        case "--nodes" -> nodes = number(value(args, ++i, arg), arg, 1, 9, "a number from 1 to 9");
        case "--out" -> out = Path.of(value(args, ++i, arg)).toAbsolutePath();
        case "--heap" -> heap = value(args, ++i, arg);
        case "--node-arg" -> nodeArgs.add(value(args, ++i, arg));
        case "--workloads" -> workloads = parseWorkloads(value(args, ++i, arg));
        default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    if (out == null) {
      out = root.resolve("bench/results").resolve(LocalDate.now() + (quick ? "-quick" : ""));
    }
    String flags = System.getenv().getOrDefault("TASKGRID_JVM_FLAGS", "");
    List<String> jvmFlags = flags.isBlank() ? List.of() : List.of(flags.trim().split("\\s+"));
    return new BenchOptions(root, out, nodes, workloads, quick, heap, jvmFlags, List.copyOf(nodeArgs), profile, tasks,
        restWarmUp, help);
  }

  private static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** The option's value as a number from min to max, or an error that says what was expected. */
  private static int number(String value, String option, int min, int max, String expected) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException ignored) {
      // reported below
    }
    throw new IllegalArgumentException(option + " must be " + expected + ", was '" + value + "'");
  }

  private static Set<String> parseWorkloads(String value) {
    Set<String> chosen = new LinkedHashSet<>();
    for (String name : value.split(",")) {
      String w = name.trim();
      if (!ALL.contains(w) && !EXTRA.contains(w)) {
        throw new IllegalArgumentException("unknown workload '" + w + "'; known: " + ALL + " " + EXTRA);
      }
      chosen.add(w);
    }
    return chosen;
  }

  /** How many no-op tasks workloads 1 and 5 push through. */
  public int throughputTasks() {
    return tasks != null ? tasks : size(100_000, 2_000);
  }

  /** Seconds of workload 2's unmeasured warm-up at 1,000 submissions/s. */
  public int restWarmUpSeconds() {
    return restWarmUp != null ? restWarmUp : size(20, 2);
  }

  /** A size for a full run, or for a quick one. */
  public int size(int full, int quickSize) {
    return quick ? quickSize : full;
  }
}
