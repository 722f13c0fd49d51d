package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A member's waits ({@link OwnerEndNotices}): counted in at the task's owner, told of the end by
 * that owner alone, counted out when they end, kept when the owner leaves, and read again when an
 * end may have gone unheard. (No node runs the tasks here: they stay PENDING until cancelled.) A
 * Java client's waits go the same way: {@link ClientWaitsTest}.
 */
class OwnerEndNoticesTest {

  @Test
  void aMemberHearsOnlyTheEndsItWaitsFor() throws Exception {
    try (TwoMembers members = new TwoMembers("owner-ends", 5951)) {
      TaskStore waiter = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      String id = idOwnedBy(members.second, "remote-");
      waiter.submit(spec(id));

      CompletableFuture<TaskView> wait = waiter.whenDoneWithin(id, Duration.ofSeconds(30));
      await().atMost(Duration.ofSeconds(10)).until(() -> waits(members).containsKey(id));
      // No listener on the tasks; one on the waits, this member's, filtered by its id on the owners.
      assertThat(ClientWaitsTest.listeners(members.second, TaskStore.TASKS_MAP)).isZero();
      assertThat(ClientWaitsTest.listeners(members.second, OwnerEndNotices.WAITS_MAP)).isEqualTo(1);

      // Fifty ends on the same owner that nobody waits for, then the waited one.
      for (int i = 0; i < 50; i++) {
        String other = idOwnedBy(members.second, "unwaited-" + i + "-");
        waiter.submit(spec(other));
        waiter.cancel(other);
      }
      waiter.cancel(id);
      assertThat(wait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
      // Told of the one it waits for, of no other.
      await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(500)).until(() -> waiter.endsHeard() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> waits(members).isEmpty());
    }
  }

  @Test
  void twoWaitsOnOneTaskAreCountedApartAndAWaitThatRunsOutLeavesNoCount() throws Exception {
    try (TwoMembers members = new TwoMembers("owner-counts", 5961)) {
      TaskStore waiter = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      String id = idOwnedBy(members.second, "counted-");
      waiter.submit(spec(id));

      CompletableFuture<TaskView> longWait = waiter.whenDoneWithin(id, Duration.ofSeconds(30));
      CompletableFuture<TaskView> shortWait = waiter.whenDoneWithin(id, Duration.ofMillis(300));
      assertThat(shortWait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.PENDING);
      // The short wait counted itself out; the long one is still counted, and still hears the end.
      await().atMost(Duration.ofSeconds(5)).during(Duration.ofMillis(300)).until(() -> waits(members).containsKey(id));
      waiter.cancel(id);
      assertThat(longWait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);

      String alone = idOwnedBy(members.second, "alone-");
      waiter.submit(spec(alone));
      assertThat(waiter.whenDoneWithin(alone, Duration.ofMillis(300)).get(10, TimeUnit.SECONDS).status())
          .isEqualTo(TaskStatus.PENDING);
      await().atMost(Duration.ofSeconds(5)).until(() -> waits(members).isEmpty());
      assertThat(waiter.waiting()).isZero();
    }
  }

  @Test
  void aWaitOutlivesItsTasksOwnerAndAnEndNobodyToldIsReadWhenAMemberLeaves() throws Exception {
    try (TwoMembers members = new TwoMembers("owner-leaves", 5971)) {
      HazelcastInstance third = members.join();
      TaskStore waiter = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      TaskStore.onMember(members.second, Clock.systemUTC(), null);
      TaskStore.onMember(third, Clock.systemUTC(), null);

      // The owner leaves while the wait is counted in: its backup, promoted, still knows the wait.
      String id = idOwnedBy(members.second, "orphaned-");
      waiter.submit(spec(id));
      CompletableFuture<TaskView> wait = waiter.whenDoneWithin(id, Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(10)).until(() -> waits(members).containsKey(id));
      members.second.getLifecycleService().terminate();
      await().atMost(Duration.ofSeconds(60)).until(() -> members.first.getCluster().getMembers().size() == 2
          && members.first.getPartitionService().isClusterSafe());
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !wait.isDone());
      waiter.cancel(id);
      assertThat(wait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);

      // An end whose notice was lost (its count gone, as with an owner that died before telling):
      // the wait stays open until a member leaves, and then reads its task again.
      String unheard = idOwnedBy(third, "unheard-");
      waiter.submit(spec(unheard));
      CompletableFuture<TaskView> unheardWait = waiter.whenDoneWithin(unheard, Duration.ofSeconds(60));
      await().atMost(Duration.ofSeconds(10)).until(() -> waits(members).containsKey(unheard));
      waits(members).delete(unheard);
      waiter.cancel(unheard);
      await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(() -> !unheardWait.isDone());
      members.join().getLifecycleService().terminate();
      assertThat(unheardWait.get(10, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    }
  }

  static TaskSpec spec(String id) {
    return TaskSpec.builder().id(id).type("echo").build();
  }

  static IMap<String, Waiters> waits(TwoMembers members) {
    return members.first.getMap(OwnerEndNotices.WAITS_MAP);
  }

  /** An id, starting with {@code prefix}, whose partition {@code owner} owns. */
  static String idOwnedBy(HazelcastInstance owner, String prefix) {
    for (int i = 0; ; i++) {
      String id = prefix + i;
      if (owner.getPartitionService().getPartition(id).getOwner().getUuid()
          .equals(owner.getCluster().getLocalMember().getUuid())) {
        return id;
      }
    }
  }
}
