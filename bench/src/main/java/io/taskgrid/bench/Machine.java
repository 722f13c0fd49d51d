package io.taskgrid.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The facts that make two runs comparable: machine, JDK, node JVM flags, and the commit measured. */
final class Machine {
  private Machine() {}

  static Map<String, Object> describe(Path root) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("date", ZonedDateTime.now().withNano(0).toString());
    m.put("cores", Runtime.getRuntime().availableProcessors());
    var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    m.put("memory", String.format("%.1f GiB", os.getTotalMemorySize() / (1024.0 * 1024 * 1024)));
    m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
    m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
    // The nodes run on the same JDK as this JVM (scripts/bench.sh); their flags depend on it. The
    // heap is left out: it is the options' "heap".
    m.put("node JVM flags", System.getProperty("taskgrid.bench.nodeFlags", "unknown").strip());
    m.put("cpu", cpuModel());
    m.put("commit", git(root, "rev-parse", "--short", "HEAD") + (git(root, "status", "--porcelain").isEmpty() ? "" : " (with uncommitted changes)"));
    return m;
  }

  private static String cpuModel() {
    try {
      return java.nio.file.Files.readAllLines(Path.of("/proc/cpuinfo")).stream()
          .filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
          .findFirst().orElse("unknown");
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }

  private static String git(Path root, String... args) {
    try {
      String[] command = new String[args.length + 1];
      command[0] = "git";
      System.arraycopy(args, 0, command, 1, args.length);
      Process p = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : "unknown";
    } catch (java.io.IOException e) {
      return "unknown";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "unknown";
    }
  }
}
