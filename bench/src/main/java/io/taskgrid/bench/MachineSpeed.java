package io.taskgrid.bench;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * How fast this machine does, on its idle CPUs, the four kinds of work every figure of the
 * benchmark is made of: arithmetic, memory reads that miss the caches, waking a parked thread, and a
 * loopback TCP round trip (how the JVMs of one machine talk). The same code ran twice as slowly on
 * this VM on one day as on another, at 0 % stolen and at the same clock rate (docs/performance.md,
 * session 16): a report carries these four at its start and at its end, so that two reports can be
 * told apart by their machine before their code is.
 *
 * <p>Each probe runs for a fixed time and reports its median round, so that a stall in one round
 * does not decide the figure.
 */
public final class MachineSpeed {
  private static final int ROUNDS = 5;
  /** 256 MiB of ints: far beyond any cache, as the nodes' heaps are. */
  private static final int MEMORY_INTS = 64 << 20;

  /** The four figures: ns per arithmetic step, ns per cache-missing read, µs per wake-up round trip, µs per TCP round trip. */
  record Speed(double arithmeticNanos, double memoryNanos, double wakeMicros, double tcpMicros) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT,
          "arithmetic %.2f ns/step, memory read %.0f ns, thread wake-up round trip %.1f µs, loopback TCP round trip %.1f µs",
          arithmeticNanos, memoryNanos, wakeMicros, tcpMicros);
    }
  }

  private MachineSpeed() {}

  /** Prints the four figures, measured now: {@code java -cp bench/target/classes io.taskgrid.bench.MachineSpeed}. */
  public static void main(String[] args) throws IOException, InterruptedException {
    System.out.println(measure());
  }

  /** Measures all four, a few seconds in all. */
  static Speed measure() throws IOException, InterruptedException {
    return new Speed(median(MachineSpeed::arithmetic), median(new MemoryChase()::read), median(MachineSpeed::wakeUps),
        median(MachineSpeed::tcpRoundTrips));
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

  /** ns per step of a chain of dependent multiply-adds (a xorshift-multiply hash), one thread. */
  private static double arithmetic() {
    int steps = 20_000_000;
    long x = System.nanoTime() | 1;
    long start = System.nanoTime();
    for (int i = 0; i < steps; i++) {
      x ^= x >>> 29;
      x *= 0xBF58476D1CE4E5B9L;
    }
    long took = System.nanoTime() - start;
    sink(x);
    return (double) took / steps;
  }

  /** Reads one random cycle through 256 MiB, each read's address being the previous read's value. */
  private static final class MemoryChase {
    private final int[] next = new int[MEMORY_INTS];

    MemoryChase() {
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

    /** ns per dependent read. */
    double read() {
      int reads = 500_000;
      int at = 0;
      long start = System.nanoTime();
      for (int i = 0; i < reads; i++) {
        at = next[at];
      }
      long took = System.nanoTime() - start;
      sink(at);
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
