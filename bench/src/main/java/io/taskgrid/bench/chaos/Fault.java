package io.taskgrid.bench.chaos;

import io.taskgrid.bench.cluster.NodeCluster;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What a chaos run does to the cluster, one at a time: each leaves every node of the cluster
 * running again when it returns, and the run waits for the cluster to be whole before the next.
 * One failure at a time is what one backup is for; two nodes lost together lose every copy of
 * their shared partitions, whose tasks the survivors read again from the database (docs/design.md).
 */
enum Fault {
  /** {@code kill -9} of one node, started again after up to 4 s. */
  KILL {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      int i = anyNode(cluster, random);
      cluster.kill(i);
      pause(random, 500, 4_000);
      cluster.startNode(i);
    }
  },
  /**
   * {@code kill -9} of two nodes at once, so that the partitions they shared lose every copy: the
   * survivors work alone for 3-6 s, then both start again. Needs a cluster of three nodes or more.
   */
  KILL_TWO {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      int first = anyNode(cluster, random);
      int second = 1 + (first - 1 + 1 + random.nextInt(cluster.size() - 1)) % cluster.size();
      cluster.kill(first);
      cluster.kill(second);
      pause(random, 3_000, 6_000);
      cluster.startNode(first);
      cluster.startNode(second);
    }
  },
  /** A graceful stop of one node (drain, hand back, leave), then a start. */
  STOP {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      int i = anyNode(cluster, random);
      cluster.stop(i);
      cluster.startNode(i);
    }
  },
  /** One node frozen ({@code SIGSTOP}) past the 5 s heartbeat timeout, then woken: it merges back. */
  FREEZE {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      int i = anyNode(cluster, random);
      cluster.freeze(i);
      pause(random, 6_000, 9_000);
      cluster.thaw(i);
    }
  },
  /** A node joins, takes work, and leaves gracefully. */
  JOIN_AND_STOP {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      cluster.stop(joinForAWhile(cluster, random));
    }
  },
  /** A node joins, takes work, and is killed. */
  JOIN_AND_DIE {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      cluster.kill(joinForAWhile(cluster, random));
    }
  },
  /** {@code kill -9} of every node at once, then the cluster starts again from its database. */
  CRASH_ALL {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      for (int i = 1; i <= cluster.size(); i++) {
        cluster.kill(i);
      }
      pause(random, 500, 2_000);
      startAll(cluster);
    }
  },
  /**
   * The database stopped for 2-8 s while the load goes on (submissions and cancels answer 503,
   * write-behind retries), and in half of the outages a node killed meanwhile, started again once
   * the database is back (a node does not start without it). PostgreSQL runs only.
   */
  DATABASE_OUTAGE {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      target.database().stop();
      pause(random, 1_000, 4_000);
      int killed = random.nextBoolean() ? anyNode(cluster, random) : 0;
      if (killed > 0) {
        cluster.kill(killed);
      }
      pause(random, 1_000, 4_000);
      target.database().resume();
      if (killed > 0) {
        cluster.startNode(killed);
      }
    }
  },
  /**
   * One node's Hazelcast traffic cut from the others for 8-15 s (past the 5 s heartbeat timeout),
   * while the load still reaches every node over HTTP: two clusters serve, each side runs and
   * cancels tasks, and they merge once healed. Runs with {@code --splits} only.
   */
  SPLIT {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      target.network().cut(anyNode(target.cluster(), random));
      pause(random, 8_000, 15_000);
      target.network().heal();
    }
  },
  /** Every node stopped gracefully, last first, then the cluster starts again. */
  STOP_ALL {
    @Override
    void apply(ChaosTarget target, Random random) throws Exception {
      NodeCluster cluster = target.cluster();
      for (int i = cluster.size(); i >= 1; i--) {
        cluster.stop(i);
      }
      startAll(cluster);
    }
  };

  abstract void apply(ChaosTarget target, Random random) throws Exception;

  /** The faults a run can apply: outages need a database that can fail, splits a network to cut. */
  static List<Fault> possible(boolean databaseCanFail, boolean splits) {
    return Arrays.stream(values())
        .filter(fault -> (fault != DATABASE_OUTAGE || databaseCanFail) && (fault != SPLIT || splits)).toList();
  }

  static void startAll(NodeCluster cluster) throws Exception {
    for (int i = 1; i <= cluster.size(); i++) {
      if (!cluster.isAlive(i)) {
        cluster.startNode(i);
      }
    }
  }

  /** Starts a node beyond the cluster's size and lets it work 3-8 s; answers its index. */
  private static int joinForAWhile(NodeCluster cluster, Random random) throws Exception {
    int extra = cluster.size() + 1;
    cluster.startNode(extra);
    pause(random, 3_000, 8_000);
    return extra;
  }

  private static int anyNode(NodeCluster cluster, Random random) {
    return 1 + random.nextInt(cluster.size());
  }

  private static void pause(Random random, int minMs, int maxMs) throws InterruptedException {
    TimeUnit.MILLISECONDS.sleep(minMs + random.nextInt(maxMs - minMs));
  }
}
