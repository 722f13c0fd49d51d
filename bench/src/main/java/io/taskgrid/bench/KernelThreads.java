package io.taskgrid.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The CPU time the kernel's own threads took over a stretch of the run, and which of them took
 * most. On this project's VMs the kernel's proactive reclaimer (DAMON's {@code kdamond}) ran in
 * bursts of 20–80 ms every 0.5–0.6 s, stalling the nodes, and took more CPU the more cold memory
 * the JVMs held (docs/performance-history.md, session 15): a report carries it per phase, beside the
 * host's steal, so that runs compare.
 */
final class KernelThreads {
  /** {@code PF_KTHREAD} in the flags of {@code /proc/<pid>/stat}. */
  private static final long KERNEL_THREAD = 0x00200000L;
  /** Clock ticks per second of {@code /proc/<pid>/stat}'s times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100;

  /** What one kernel thread had used, in clock ticks. */
  private record Used(String name, long ticks) {}

  /** What a stretch of the run saw: kernel threads' share of all CPU time, and the busiest one's. */
  record Share(double all, String busiest, double busiestShare) {}

  private final Map<String, Used> start;
  private final long startNanos = System.nanoTime();

  private KernelThreads(Map<String, Used> start) {
    this.start = start;
  }

  /** Starts counting now. */
  static KernelThreads start() {
    return new KernelThreads(read());
  }

  /**
   * The kernel threads' CPU time since {@link #start} ÷ all the machine's CPU time over it, or
   * empty where {@code /proc} does not say.
   */
  Optional<Share> share(int cores) {
    Map<String, Used> now = read();
    double available = (System.nanoTime() - startNanos) / 1e9 * TICKS_PER_SECOND * cores;
    if (now.isEmpty() || available <= 0) {
      return Optional.empty();
    }
    Map<String, Long> byName = new HashMap<>();
    now.forEach((pid, used) -> {
      // A worker's name changes with the work it last did; fewer ticks than before means the
      // process id was reused by a thread started meanwhile.
      Used before = start.get(pid);
      long ticks = before == null || before.ticks() > used.ticks() ? used.ticks() : used.ticks() - before.ticks();
      byName.merge(used.name(), ticks, Long::sum);
    });
    long all = byName.values().stream().mapToLong(Long::longValue).sum();
    Map.Entry<String, Long> busiest = byName.entrySet().stream().max(Map.Entry.comparingByValue())
        .orElse(Map.entry("none", 0L));
    return Optional.of(new Share(all / available, busiest.getKey(), busiest.getValue() / available));
  }

  /** Every kernel thread's CPU time so far, by process id. */
  private static Map<String, Used> read() {
    Map<String, Used> used = new HashMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .forEach(p -> parse(p).ifPresent(u -> used.put(p.getFileName().toString(), u)));
    } catch (IOException | RuntimeException e) {
      return Map.of();
    }
    return used;
  }

  /** One process's stat line, if it is a kernel thread: its name and user + system ticks. */
  private static Optional<Used> parse(Path process) {
    try {
      String stat = Files.readString(process.resolve("stat"));
      int open = stat.indexOf('(');
      int close = stat.lastIndexOf(')');
      // After the name: state, ppid, pgrp, session, tty, tpgid, flags, 4 fault counts, utime, stime.
      String[] fields = stat.substring(close + 2).split(" ");
      if ((Long.parseLong(fields[6]) & KERNEL_THREAD) == 0) {
        return Optional.empty();
      }
      String name = stat.substring(open + 1, close);
      // "kworker/u8:1-writeback": the part after the dash is the work it is doing, not the thread.
      if (name.startsWith("kworker/") && name.indexOf('-') > 0) {
        name = name.substring(0, name.indexOf('-'));
      }
      return Optional.of(new Used(name, Long.parseLong(fields[11]) + Long.parseLong(fields[12])));
    } catch (IOException | RuntimeException e) {
      return Optional.empty(); // gone meanwhile, or not readable
    }
  }
}
