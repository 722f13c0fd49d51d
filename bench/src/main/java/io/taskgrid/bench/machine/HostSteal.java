package io.taskgrid.bench.machine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.OptionalDouble;

/**
 * The share of CPU time the hypervisor gave to other guests ("steal" in Linux's {@code /proc/stat})
 * over a stretch of the run. On a shared VM it moved every figure of this benchmark by more than
 * most changes did (docs/performance.md): a report carries it per phase and per measurement (each
 * REST rate, node count and baseline run), so that runs, and the two sides of a ratio, compare.
 */
public final class HostSteal {
  private static final Path STAT = Path.of("/proc/stat");
  /** Index of the steal column on the aggregate "cpu" line, after the label. */
  private static final int STEAL = 7;

  private final long[] start;

  private HostSteal(long[] start) {
    this.start = start;
  }

  /** Starts counting now. */
  public static HostSteal start() {
    return new HostSteal(read());
  }

  /** Stolen ÷ all CPU time since {@link #start}, or empty where the kernel does not count it. */
  public OptionalDouble share() {
    long[] now = read();
    if (start.length <= STEAL || now.length <= STEAL) {
      return OptionalDouble.empty();
    }
    long total = Arrays.stream(now).sum() - Arrays.stream(start).sum();
    return total <= 0 ? OptionalDouble.empty() : OptionalDouble.of((double) (now[STEAL] - start[STEAL]) / total);
  }

  /** The aggregate "cpu" line's counters (user, nice, system, idle, iowait, irq, softirq, steal...). */
  private static long[] read() {
    try {
      String line = Files.readAllLines(STAT).get(0);
      if (!line.startsWith("cpu ")) {
        return new long[0];
      }
      // guest and guest_nice (columns 8, 9) are already counted in user and nice.
      long[] all = Arrays.stream(line.substring(4).trim().split("\\s+")).mapToLong(Long::parseLong).toArray();
      return Arrays.copyOf(all, Math.min(all.length, STEAL + 1));
    } catch (IOException | RuntimeException e) {
      return new long[0];
    }
  }
}
