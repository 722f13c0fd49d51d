package io.taskgrid.bench.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the benchmark does to member JVMs from outside: kill them, and weigh their heaps. */
public final class Jvms {
  private static final Pattern USED = Pattern.compile("used (\\d+)K");

  private Jvms() {}

  /** {@code kill -9}: the process dies without a word to the cluster. */
  public static void kill9(long pid) {
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    // Not onExit(): a node started through a script is not our child, and where nobody reaps
    // orphans (a container without an init) it stays a zombie, dead but never "exited".
    long until = System.nanoTime() + 10_000_000_000L;
    while (running(pid) && System.nanoTime() < until) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Alive and not a zombie. */
  static boolean running(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException e) {
      return false; // gone
    }
  }

  /**
   * Heap in use after a full GC, in bytes: what the live objects take, without garbage. Asks the
   * JVM itself through {@code jcmd} (GC.run, then GC.heap_info; the generation lines before
   * Metaspace are summed, so it reads G1 and Serial alike).
   */
  public static long liveHeapBytes(long pid) {
    jcmd(pid, "GC.run");
    String info = jcmd(pid, "GC.heap_info");
    long usedKb = 0;
    for (String line : info.split("\n")) {
      if (line.contains("Metaspace")) {
        break;
      }
      Matcher m = USED.matcher(line);
      if (line.contains("total") && m.find()) {
        usedKb += Long.parseLong(m.group(1));
      }
    }
    return usedKb * 1024;
  }

  /** Runs a diagnostic command in JVM {@code pid}; answers its output. */
  static String jcmd(long pid, String... command) {
    String jcmd = ProcessHandle.current().info().command()
        .map(java -> java.replaceFirst("java$", "jcmd"))
        .orElse("jcmd");
    try {
      List<String> line = new ArrayList<>(List.of(jcmd, Long.toString(pid)));
      line.addAll(List.of(command));
      Process p = new ProcessBuilder(line).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException("jcmd " + pid + " " + String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("could not run jcmd: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
