package io.taskgrid.node.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node started from the packaged jar in a JVM of its own, so that it can be killed or paused for real. */
public final class NodeProcess {
  private static final List<String> JVM_FLAGS = List.of(
      "-Xmx384m", "-XX:+ExitOnOutOfMemoryError", "-XX:TieredStopAtLevel=1", "-Djava.util.concurrent.ForkJoinPool.common.parallelism=4",
      "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
      "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
      "--add-opens", "java.management/sun.management=ALL-UNNAMED",
      "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

  private final Process process;
  private final int httpPort;
  private final Path log;
  private final int hzPort;

  /** The port of its Hazelcast member. */
  public int hazelcastPort() {
    return hzPort;
  }

  private NodeProcess(Process process, int hzPort, int httpPort, Path log) {
    this.hzPort = hzPort;
    this.process = process;
    this.httpPort = httpPort;
    this.log = log;
  }

  /** Starts node {@code name} with member port {@code hzPort} in a cluster of the given name and members. */
  public static NodeProcess start(String name, String cluster, int hzPort, int httpPort, String members,
      String... extraArgs) {
    Path logs = Path.of(System.getProperty("taskgrid.it.logs", "target/it-logs"));
    // A temporary folder of its own under target/, as start-node.sh gives each node: a JVM killed
    // with -9 leaves SQLite's native library (1 MB) and Jetty's folder behind.
    Path tmp = logs.resolve(cluster + "-" + name + ".tmp");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_FLAGS);
    command.add("-Djava.io.tmpdir=" + tmp);
    // The class archive scripts/prepare-node.sh trained, as start-node.sh uses it; absent if training failed.
    Path archive = Path.of(System.getProperty("taskgrid.cds", "none"));
    if (Files.isRegularFile(archive)) {
      command.add("-XX:SharedArchiveFile=" + archive);
    }
    command.addAll(List.of("-jar", System.getProperty("taskgrid.jar"),
        "--server.port=" + httpPort,
        "--taskgrid.hazelcast.config=" + System.getProperty("taskgrid.hazelcast.yaml"),
        "--taskgrid.hazelcast.cluster-name=" + cluster,
        "--taskgrid.hazelcast.port=" + hzPort,
        "--taskgrid.hazelcast.members=" + members));
    command.addAll(List.of(extraArgs));
    try {
      Files.createDirectories(tmp);
      Path log = logs.resolve(cluster + "-" + name + ".log");
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      return new NodeProcess(process, hzPort, httpPort, log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Http http() {
    return new Http(baseUrl());
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + httpPort;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path log() {
    return log;
  }

  /** kill -9. */
  public void kill() {
    process.destroyForcibly();
  }

  /** Waits until the process has exited (after {@link #kill}, SIGKILL is delivered but not yet reaped). */
  public void awaitExit() {
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("process " + process.pid() + " still alive 30 s after kill -9");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** kill -STOP: the process hangs, its sockets stay open, as with a long GC pause or a frozen VM. */
  public void pause() {
    signal("STOP");
  }

  /** kill -CONT. */
  public void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid()))
          .redirectOutput(new File("/dev/null")).start().waitFor();
      // A process that exited meanwhile has nothing left to signal.
      if (exit != 0 && process.isAlive()) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " exited with " + exit);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
