package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.config.Config;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapPartitionLostEventFilter;
import com.hazelcast.map.impl.MapService;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A Java client's waits ({@link TaskStore#whenDone}): counted in at the task's owner like a
 * member's, through one listener on the waits that hears only this client's own tasks' ends, and
 * none on the task map. (No node runs the tasks here: they stay PENDING until cancelled.)
 */
class ClientWaitsTest {

  @Test
  void aClientHearsOnlyTheEndsItWaitsFor() throws Exception {
    try (TwoMembers members = new TwoMembers("client-waits", 5941)) {
      TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig());
      try {
        TaskStore store = new TaskStore(client);
        String id = OwnerEndNoticesTest.idOwnedBy(members.second, "client-waited-");
        store.submit(OwnerEndNoticesTest.spec(id));
        CompletableFuture<TaskView> wait = store.whenDone(id);
        await().atMost(Duration.ofSeconds(10)).until(() -> OwnerEndNoticesTest.waits(members).containsKey(id));
        assertThat(listeners(members.second, TaskStore.TASKS_MAP)).isZero();
        assertThat(listeners(members.second, OwnerEndNotices.WAITS_MAP)).isEqualTo(1);

        // Fifty ends nobody waits for, on both members, then the waited one.
        for (int i = 0; i < 50; i++) {
          String other = "client-unwaited-" + i;
          store.submit(OwnerEndNoticesTest.spec(other));
          store.cancel(other);
        }
        store.cancel(id);
        assertThat(wait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(500)).until(() -> store.endsHeard() == 1);

        // A task that had ended before the wait began answers at once, from the read after the count.
        assertThat(store.whenDone("client-unwaited-7").get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(5)).until(() -> OwnerEndNoticesTest.waits(members).isEmpty());
        // The listener stays, for the next wait; still one.
        assertThat(listeners(members.first, OwnerEndNotices.WAITS_MAP)).isEqualTo(1);
      } finally {
        client.shutdown();
      }
    }
  }

  @Test
  void aClientsWaitIsHeardAfterTheWholeClusterRestartedUnderIt() throws Exception {
    // The tasks outlive the members, as in a node's database; the waits, in memory only, do not.
    MemoryDatabase database = new MemoryDatabase();
    Consumer<Config> persisted = storedIn(database);
    HazelcastInstance client;
    CompletableFuture<TaskView> wait;
    try (TwoMembers members = new TwoMembers("client-restart", 5981, persisted)) {
      TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      client = HazelcastClient.newHazelcastClient(clientConfig("client-restart", 5981));
      TaskStore store = new TaskStore(client);
      store.submit(OwnerEndNoticesTest.spec("across-restart"));
      wait = store.whenDone("across-restart");
      await().atMost(Duration.ofSeconds(10)).until(() -> OwnerEndNoticesTest.waits(members).containsKey("across-restart"));
    }
    try (TwoMembers again = new TwoMembers("client-restart", 5981, persisted)) {
      TaskStore restarted = TaskStore.onMember(again.first, Clock.systemUTC(), null);
      TaskStore.onMember(again.second, Clock.systemUTC(), null);
      // Reconnected, the client counts its open wait in again.
      await().atMost(Duration.ofSeconds(60)).until(() -> OwnerEndNoticesTest.waits(again).containsKey("across-restart"));
      assertThat(wait).isNotDone();
      restarted.cancel("across-restart");
      assertThat(wait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    } finally {
      client.shutdown();
    }
  }

  @Test
  void aClientsWaitIsCountedInAgainWhenItsPartitionLosesEveryCopy() throws Exception {
    MemoryDatabase database = new MemoryDatabase();
    Consumer<Config> persisted = storedIn(database);
    try (TwoMembers members = new TwoMembers("client-lost", 5991, persisted)) {
      HazelcastInstance third = members.join();
      TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      TaskStore survivor = TaskStore.onMember(third, Clock.systemUTC(), null);
      HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig("client-lost", 5991));
      try {
        TaskStore store = new TaskStore(client);
        // A task whose owner and backup are the two members about to die together.
        String id = idWithCopiesOnlyOn(members.first, members.second, "lost-with-both-");
        store.submit(OwnerEndNoticesTest.spec(id));
        CompletableFuture<TaskView> wait = store.whenDone(id);
        IMap<String, Waiters> waits = third.getMap(OwnerEndNotices.WAITS_MAP);
        await().atMost(Duration.ofSeconds(10)).until(() -> waits.containsKey(id));

        CompletableFuture.allOf(
            CompletableFuture.runAsync(() -> members.first.getLifecycleService().terminate()),
            CompletableFuture.runAsync(() -> members.second.getLifecycleService().terminate())).join();
        // Its count went with them; the client counts it in again on the survivor.
        await().atMost(Duration.ofSeconds(30)).until(() -> waits.containsKey(id));
        assertThat(wait).isNotDone();
        survivor.cancel(id);
        assertThat(wait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
      } finally {
        client.shutdown();
      }
    }
  }

  /** An id, starting with {@code prefix}, whose partition has its owner and its backup on {@code a} and {@code b}. */
  private static String idWithCopiesOnlyOn(HazelcastInstance a, HazelcastInstance b, String prefix) {
    var partitions = ((HazelcastInstanceProxy) a).getOriginal().node.getPartitionService();
    Set<UUID> both = Set.of(a.getCluster().getLocalMember().getUuid(), b.getCluster().getLocalMember().getUuid());
    for (int i = 0; ; i++) {
      var partition = partitions.getPartition(a.getPartitionService().getPartition(prefix + i).getPartitionId());
      if (both.contains(partition.getReplica(0).uuid()) && both.contains(partition.getReplica(1).uuid())) {
        return prefix + i;
      }
    }
  }

  /** Member config that keeps the tasks in {@code database}, which outlives the members, as a node's does. */
  private static Consumer<Config> storedIn(MemoryDatabase database) {
    return config ->
        config.getMapConfig(TaskStore.TASKS_MAP).getMapStoreConfig().setEnabled(true).setImplementation(database);
  }

  private static ClientConfig clientConfig() {
    return clientConfig("client-waits", 5941);
  }

  private static ClientConfig clientConfig(String cluster, int port) {
    ClientConfig config = new ClientConfig().setClusterName(cluster + "-test");
    config.getNetworkConfig().addAddress("127.0.0.1:" + port);
    TaskGridSerialization.register(config.getSerializationConfig());
    return config;
  }

  /**
   * Entry listener registrations on {@code map}, as {@code member} knows them (not its
   * partition-lost listeners, which hear only of members dying together).
   */
  static int listeners(HazelcastInstance member, String map) {
    return (int) ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine().getEventService()
        .getRegistrations(MapService.SERVICE_NAME, map).stream()
        .filter(registration -> !(registration.getFilter() instanceof MapPartitionLostEventFilter))
        .count();
  }
}
