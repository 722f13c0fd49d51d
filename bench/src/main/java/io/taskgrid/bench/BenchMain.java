package io.taskgrid.bench;

import io.taskgrid.bench.baseline.BaselineMember;
import io.taskgrid.bench.chaos.ChaosRun;
import java.util.Arrays;

/**
 * Entry point of the benchmark jar. {@code java -jar taskgrid-bench.jar [options]} runs the
 * workloads and writes the report (see {@link BenchOptions}); {@code java -jar taskgrid-bench.jar
 * member ...} is how the benchmark starts the plain Hazelcast members of its baselines; {@code
 * java -jar taskgrid-bench.jar chaos ...} is the chaos run of scripts/chaos.sh ({@link ChaosRun}).
 */
public final class BenchMain {
  // Held so that the setting outlives garbage collection (JUL keeps loggers weakly).
  private static final java.util.logging.Logger HAZELCAST_LOG = java.util.logging.Logger.getLogger("com.hazelcast");

  private BenchMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("member")) {
      BaselineMember.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    // The clients' connection chatter would bury the progress lines; errors still show.
    HAZELCAST_LOG.setLevel(java.util.logging.Level.SEVERE);
    if (args.length > 0 && args[0].equals("chaos")) {
      ChaosRun.main(Arrays.copyOfRange(args, 1, args.length));
      return;
    }
    BenchOptions options;
    try {
      options = BenchOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("bench: " + e.getMessage());
      System.err.println(BenchOptions.USAGE);
      System.exit(2);
      return;
    }
    if (options.help()) {
      System.out.println(BenchOptions.USAGE);
      return;
    }
    int failures = new Bench(options).run();
    System.exit(failures == 0 ? 0 : 1);
  }
}
