package io.taskgrid.node.config;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Settings of a node, under {@code taskgrid.*} (application.yaml, {@code --taskgrid.x=y}, or
 * environment variables such as {@code TASKGRID_CAPACITY}).
 *
 * @param capacity tasks this node runs at once, at most
 * @param lease how long a claim holds without renewal; renewed every third of it while running
 * @param taskTimeout how long one attempt may run before it is interrupted and counted as failed
 * @param drainTimeout on a graceful stop, how long running tasks may take before they are handed back
 * @param reconcileInterval how often a node re-reads the tasks of its partitions as a safety net
 *     (the normal path is event-driven)
 * @param httpUrl the URL other nodes and users reach this node's REST API on; derived if unset
 * @param http limits of the REST API
 * @param retry backoff between failed attempts
 * @param hazelcast where the member's config comes from and what to override in it
 * @param sim the built-in {@code sim} handler
 * @param persistence where tasks are stored so that they survive the loss of the whole cluster
 * @param memory when the cluster refuses new tasks because a member's heap is nearly full
 */
@ConfigurationProperties("taskgrid")
public record TaskGridProperties(
    @DefaultValue("10") int capacity,
    @DefaultValue("30s") Duration lease,
    @DefaultValue("15m") Duration taskTimeout,
    @DefaultValue("30s") Duration drainTimeout,
    @DefaultValue("30s") Duration reconcileInterval,
    String httpUrl,
    @DefaultValue Http http,
    @DefaultValue Retry retry,
    @DefaultValue Hazelcast hazelcast,
    @DefaultValue Sim sim,
    @DefaultValue Persistence persistence,
    @DefaultValue Memory memory) {

  public TaskGridProperties {
    if (capacity < 1) {
      throw new IllegalArgumentException("taskgrid.capacity must be at least 1, was " + capacity);
    }
  }

  /**
   * When the cluster stops taking new tasks for lack of heap. Each node publishes whether its heap,
   * as its last garbage collection left it, is over {@code refuseAbove} of the JVM's maximum; while
   * any member's is, every node refuses submissions (REST 503, Java client {@code
   * ClusterFullException}), so that no member runs out of memory and takes acknowledged tasks with it.
   *
   * @param refuseAbove the share of the maximum heap (above 0, at most 1; 1 never refuses); unset,
   *     what leaves {@link #RESERVE} free, at most 0.85 and at least 0.5
   */
  public record Memory(Double refuseAbove) {
    /**
     * The room kept free by default for what is admitted before the next collection tells: a batch
     * may carry 32 MiB of payloads, held as its body, its parsed tasks and their records, its
     * backup on another node, then its results. By hand, on 3 nodes of 512 MiB, each batch of 31
     * tasks of 1 MB raised the heap after collection of the node it was sent to by up to 16 %, and a
     * batch sent at 83 % ran that node out of memory.
     */
    public static final long RESERVE = 160L << 20;

    public Memory {
      if (refuseAbove != null && !(refuseAbove > 0 && refuseAbove <= 1)) {
        throw new IllegalArgumentException("taskgrid.memory.refuse-above must be above 0 and at most 1, was "
            + refuseAbove);
      }
    }

    /** The share set, or the default for a heap of {@code maxHeap} bytes. */
    public double refuseAboveShare(long maxHeap) {
      return refuseAbove != null ? refuseAbove : Math.max(0.5, Math.min(0.85, 1 - (double) RESERVE / maxHeap));
    }
  }

  /**
   * Limits of the REST API.
   *
   * @param bodyBudget how many bytes of submission bodies the node handles at once; unset, a
   *     sixteenth of the JVM's maximum heap (a body is held several times over while it is parsed,
   *     journaled and entered). A request that would pass it while others hold some is refused with
   *     503 and Retry-After; one alone always gets through.
   */
  public record Http(DataSize bodyBudget) {

    /** The budget in bytes: the one set, or a sixteenth of the heap. */
    public long bodyBudgetBytes() {
      return bodyBudget != null ? bodyBudget.toBytes() : Runtime.getRuntime().maxMemory() / 16;
    }
  }

  /**
   * Exponential backoff: attempt n waits {@code base * 2^(n-1)}, at most {@code max}.
   *
   * @param base wait after the first failed attempt
   * @param max the cap
   */
  public record Retry(@DefaultValue("1s") Duration base, @DefaultValue("5m") Duration max) {}

  /**
   * The Hazelcast member.
   *
   * @param config path of the cluster config; the copy inside the jar when the file is absent
   * @param clusterName overrides {@code cluster-name}
   * @param port overrides the member port (and turns auto-increment off)
   * @param members overrides the TCP/IP member list, e.g. {@code 10.0.0.1:5701,10.0.0.2:5701}
   * @param publicAddress the address other members and clients should use for this member
   * @param bindInterface the network interface to bind to (an IP, wildcards allowed: {@code 10.0.*.*})
   * @param properties extra Hazelcast properties, over those of the config file
   */
  public record Hazelcast(
      @DefaultValue("hazelcast.yaml") String config,
      String clusterName,
      Integer port,
      List<String> members,
      String publicAddress,
      String bindInterface,
      Map<String, String> properties) {}

  /**
   * The {@code sim} handler: runs for a time derived from a hash of the payload.
   *
   * @param minDuration shortest run
   * @param maxDuration longest run
   * @param failureProbability chance (0..1) that an attempt fails, also derived from the hash
   */
  public record Sim(
      @DefaultValue("1s") Duration minDuration,
      @DefaultValue("10s") Duration maxDuration,
      @DefaultValue("0") double failureProbability) {}

  /**
   * The task map's MapStore. Every change of a task is written through to this database before
   * it is acknowledged; after the whole cluster stops, the nodes load the unfinished tasks back.
   *
   * @param enabled whether tasks are persisted at all
   * @param url JDBC URL: {@code jdbc:sqlite:<file>} (one file shared by the nodes of one machine) or
   *     {@code jdbc:postgresql://host/db} (for clusters across machines)
   * @param username database user (PostgreSQL)
   * @param password database password (PostgreSQL)
   * @param poolSize connections per node
   * @param writeDelaySeconds how late a change of state may reach the database (new tasks never
   *     wait); unset: the map-store's {@code write-delay-seconds} in hazelcast.yaml (1)
   * @param residency how long a finished task stays in memory; later it is read from the database
   * @param retention how long a finished task is kept in the database at all
   * @param sweepInterval how often each node evicts and deletes what residency and retention say
   */
  public record Persistence(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("jdbc:sqlite:data/taskgrid.db") String url,
      String username,
      String password,
      @DefaultValue("4") int poolSize,
      Integer writeDelaySeconds,
      @DefaultValue("1h") Duration residency,
      @DefaultValue("7d") Duration retention,
      @DefaultValue("1m") Duration sweepInterval) {}
}
