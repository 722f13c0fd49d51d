package io.taskgrid.bench.machine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * How fast this machine does, on its idle CPUs, the four kinds of work every figure of the
 * benchmark is made of: arithmetic, memory reads that miss the caches, waking a parked thread, and a
 * loopback TCP round trip (how the JVMs of one machine talk). The same code ran twice as slowly on
 * this VM on one day as on another, at 0 % stolen and at the same clock rate (docs/performance-history.md,
 * session 16): a report carries these four at its start and at its end, so that two reports can be
 * told apart by their machine before their code is.
 *
 * <p>Each probe runs for a fixed time and reports its median round, so that a stall in one round
 * does not decide the figure. {@link #whileLoaded} samples the first two while the benchmark
 * loads the machine, timed by the probe thread's own CPU time, so that a core made slower by the
 * load (not only busier) shows.
 */
public final class MachineSpeed {
  private static final int ROUNDS = 5;
  /** 256 MiB of ints: far beyond any cache, as the nodes' heaps are. */
  private static final int MEMORY_INTS = 64 << 20;
  /** How long the idle machine is sampled as {@link #whileLoaded} samples the loaded one. */
  private static final int SAMPLED_IDLE_MILLIS = 4_000;

  /**
   * The four figures: ns per arithmetic step, ns per cache-missing read, µs per wake-up round trip,
   * µs per TCP round trip; and the first two again as {@link #whileLoaded} samples them (short
   * bursts after sleeping, on CPU time), which is what its figures under load compare with: a short
   * burst of reads starts with cold page-table caches and takes about twice a long run's time.
   */
  public record Speed(double arithmeticNanos, double memoryNanos, double wakeMicros, double tcpMicros, Loaded sampled) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "arithmetic %.2f ns/step, memory read %.0f ns, thread wake-up round trip %.1f µs, loopback TCP round trip %.1f µs"
              + " (sampled as during the workloads: arithmetic %.2f ns/step, memory read %.0f ns)",
          arithmeticNanos, memoryNanos, wakeMicros, tcpMicros, sampled.arithmeticNanos(), sampled.memoryNanos());
    }
  }

  private MachineSpeed() {}

  /** Prints the four figures, measured now: {@code java -cp bench/target/classes io.taskgrid.bench.machine.MachineSpeed}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    System.out.println(measure());
  }

  /** Measures all four, and samples the first two as under load, about ten seconds in all. */
  public static Speed measure() throws IOException, InterruptedException {
    MemoryChase memory = MemoryChase.shared();
    double arithmetic = median(() -> arithmetic(20_000_000, System::nanoTime));
    double read = median(() -> memory.read(500_000, System::nanoTime));
    double wake = median(MachineSpeed::wakeUps);
    double tcp = median(MachineSpeed::tcpRoundTrips);
    Sampler sampler = whileLoaded();
    Thread.sleep(SAMPLED_IDLE_MILLIS);
    return new Speed(arithmetic, read, wake, tcp, sampler.stop());
  }

  /**
   * Starts sampling, every {@value Sampler#PERIOD_MILLIS} ms until {@link Sampler#stop}, an
   * arithmetic step and a cache-missing read, each timed by the sampling thread's CPU time: while
   * the cores are shared, a wall clock would time the wait for a core; CPU time times the work
   * alone. Under 1 % of one core.
   */
  public static Sampler whileLoaded() {
    return new Sampler();
  }

  /** Arithmetic step and cache-missing read in ns of CPU time, medians of the samples taken while loaded. */
  public record Loaded(double arithmeticNanos, double memoryNanos, int samples) {}

  /** A sampling thread; {@link #stop} ends it and answers what it saw. */
  public static final class Sampler {
    static final int PERIOD_MILLIS = 200;
    private final Thread thread;
    // Written by the sampling thread only, read by the caller of stop() after joining it.
    private final List<double[]> samples = new ArrayList<>();

    private Sampler() {
      MemoryChase memory = MemoryChase.shared();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      LongSupplier cpu = threads::getCurrentThreadCpuTime;
      thread = new Thread(() -> {
        while (!Thread.currentThread().isInterrupted()) {
          samples.add(new double[] {arithmetic(100_000, cpu), memory.read(2_000, cpu)});
          try {
            Thread.sleep(PERIOD_MILLIS);
          } catch (InterruptedException e) {
            return;
          }
        }
      }, "speed-sampler");
      thread.setDaemon(true);
      thread.start();
    }

    /** Stops sampling; the medians of what was sampled. */
    public Loaded stop() {
      thread.interrupt();
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new Loaded(median(samples, 0), median(samples, 1), samples.size());
    }

    private static double median(List<double[]> samples, int column) {
      double[] values = samples.stream().mapToDouble(s -> s[column]).sorted().toArray();
      return values.length == 0 ? Double.NaN : values[values.length / 2];
    }
  }

  private interface Probe {
    double round() throws IOException, InterruptedException;
  }

  private static double median(Probe probe) throws IOException, InterruptedException {
    double[] rounds = new double[ROUNDS];
    probe.round(); // compiled and warmed, not counted
    for (int i = 0; i < ROUNDS; i++) {
      rounds[i] = probe.round();
    }
    Arrays.sort(rounds);
    return rounds[ROUNDS / 2];
  }

  /** ns per step of a chain of dependent multiply-adds (a xorshift-multiply hash), one thread, on {@code clock}. */
  private static double arithmetic(int steps, LongSupplier clock) {
    long x = System.nanoTime() | 1;
    long start = clock.getAsLong();
    for (int i = 0; i < steps; i++) {
      x ^= x >>> 29;
      x *= 0xBF58476D1CE4E5B9L;
    }
    long took = clock.getAsLong() - start;
    sink(x);
    return (double) took / steps;
  }

  /** Reads one random cycle through 256 MiB, each read's address being the previous read's value. */
  private static final class MemoryChase {
    /** Built once and kept: building it takes seconds of CPU, too much for every sampler. */
    private static MemoryChase shared;
    private final int[] next = new int[MEMORY_INTS];

    static synchronized MemoryChase shared() {
      if (shared == null) {
        shared = new MemoryChase();
      }
      return shared;
    }

    private MemoryChase() {
      // Sattolo's shuffle: one cycle through every slot, so the chase never settles in a short loop.
      for (int i = 0; i < next.length; i++) {
        next[i] = i;
      }
      Random random = new Random(16);
      for (int i = next.length - 1; i > 0; i--) {
        int j = random.nextInt(i);
        int t = next[i];
        next[i] = next[j];
        next[j] = t;
      }
    }

    /** ns per dependent read on {@code clock}. */
    double read(int reads, LongSupplier clock) {
      // A random start, so that short reads do not walk the same, by then cached, stretch again.
      int i = ThreadLocalRandom.current().nextInt(next.length);
      long start = clock.getAsLong();
      for (int n = 0; n < reads; n++) {
        i = next[i];
      }
      long took = clock.getAsLong() - start;
      sink(i);
      return (double) took / reads;
    }
  }

  /**
   * µs per round trip between two threads that park until the other unparks them: what every
   * hand-off between a node's threads (HTTP, partition, IO, response, worker) costs at least.
   */
  private static double wakeUps() throws InterruptedException {
    int trips = 5_000;
    // Written by one thread and read by the other: the turn passes back and forth.
    AtomicInteger turn = new AtomicInteger();
    Thread main = Thread.currentThread();
    Thread other = new Thread(() -> {
      for (int i = 0; i < trips; i++) {
        while (turn.get() != 1) {
          LockSupport.park();
        }
        turn.set(0);
        LockSupport.unpark(main);
      }
    }, "speed-probe-pong");
    other.setDaemon(true);
    other.start();
    long start = System.nanoTime();
    for (int i = 0; i < trips; i++) {
      turn.set(1);
      LockSupport.unpark(other);
      while (turn.get() != 0) {
        LockSupport.park();
      }
    }
    long took = System.nanoTime() - start;
    other.join();
    return took / 1e3 / trips;
  }

  /** µs per 8-byte echo over a loopback TCP connection, with Nagle off as Hazelcast sets it. */
  private static double tcpRoundTrips() throws IOException, InterruptedException {
    int trips = 5_000;
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread echo = new Thread(() -> {
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          for (int i = 0; i < trips; i++) {
            out.writeLong(in.readLong());
            out.flush();
          }
        } catch (IOException e) {
          // the measuring side fails too, and says why
        }
      }, "speed-probe-echo");
      echo.setDaemon(true);
      echo.start();
      try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
        s.setTcpNoDelay(true);
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream());
        long start = System.nanoTime();
        for (int i = 0; i < trips; i++) {
          out.writeLong(i);
          out.flush();
          if (in.readLong() != i) {
            throw new IOException("loopback echo answered out of turn");
          }
        }
        long took = System.nanoTime() - start;
        echo.join();
        return took / 1e3 / trips;
      }
    }
  }

  /** Keeps a result alive so that the JIT cannot drop the loop that made it. */
  private static volatile long sunk;

  private static void sink(long value) {
    sunk = value;
  }
}
