package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.impl.MapService;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A client's end listener behind {@link TaskStore#whenDone}: in place while waits come, gone from
 * every member once none has been open for its linger, and back for the next wait. (No node runs
 * the tasks here: they stay PENDING until cancelled.)
 */
class WhenDoneListenerTest {

  @Test
  void theEndListenerStaysWhileWaitsAreOpenAndLeavesEveryMemberOnceTheyHaveStopped() throws Exception {
    try (TwoMembers members = new TwoMembers("when-done", 5941)) {
      TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      // Whatever the members registered themselves (their stores hear ends without a listener).
      int own = listeners(members.first);
      assertThat(listeners(members.second)).isEqualTo(own);
      HazelcastInstance client = HazelcastClient.newHazelcastClient(clientConfig());
      try {
        TaskStore store = new TaskStore(client);
        store.lingerListener(Duration.ofMillis(500));

        store.submit(TaskSpec.builder().id("waited-1").type("echo").build());
        CompletableFuture<TaskView> first = store.whenDone("waited-1");
        assertThat(listeners(members.second)).isEqualTo(own + 1);
        // An open wait keeps it past the linger.
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
            .until(() -> listeners(members.second) == own + 1 && listeners(members.first) == own + 1);

        store.cancel("waited-1");
        assertThat(first.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
        await().atMost(Duration.ofSeconds(10))
            .until(() -> listeners(members.second) == own && listeners(members.first) == own);

        // The next wait registers it again and hears its task's end through it.
        store.submit(TaskSpec.builder().id("waited-2").type("echo").build());
        CompletableFuture<TaskView> second = store.whenDone("waited-2");
        assertThat(listeners(members.second)).isEqualTo(own + 1);
        store.cancel("waited-2");
        assertThat(second.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
      } finally {
        client.shutdown();
      }
    }
  }

  private static ClientConfig clientConfig() {
    ClientConfig config = new ClientConfig().setClusterName("when-done-test");
    config.getNetworkConfig().addAddress("127.0.0.1:5941");
    TaskGridSerialization.register(config.getSerializationConfig());
    return config;
  }

  /** Listener registrations on the task map, as {@code member} knows them. */
  static int listeners(HazelcastInstance member) {
    return ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine().getEventService()
        .getRegistrations(MapService.SERVICE_NAME, TaskStore.TASKS_MAP).size();
  }
}
