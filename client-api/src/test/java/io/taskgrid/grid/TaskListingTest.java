package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link TaskStore#list} over two members: pages in id order, every task once, of one status when
 * asked ({@link FirstIds} keeps each member's best ids and merges them).
 */
class TaskListingTest {

  @Test
  void pagesWalkEveryTaskOnceInIdOrderAndAStatusFilterKeepsToIt() {
    try (TwoMembers members = new TwoMembers("listing", 5951)) {
      TaskStore store = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      Random random = new Random(42);
      TreeSet<String> all = new TreeSet<>();
      TreeSet<String> cancelled = new TreeSet<>();
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < 300; i++) {
        String id = "t-" + Integer.toString(random.nextInt(1_000_000), 36) + "-" + i;
        all.add(id);
        specs.add(TaskSpec.builder().id(id).type("echo").build());
      }
      store.submitAll(specs);
      for (String id : all) {
        if (random.nextInt(4) == 0) {
          store.cancel(id);
          cancelled.add(id);
        }
      }

      assertThat(walk(store, null, 7)).containsExactlyElementsOf(all);
      assertThat(walk(store, TaskStatus.CANCELLED, 11)).containsExactlyElementsOf(cancelled);
      assertThat(store.list(null, 5, all.first()).items()).extracting(TaskView::id)
          .containsExactlyElementsOf(all.tailSet(all.first(), false).stream().limit(5).toList());
      assertThat(store.list(null, 5, all.last()).items()).isEmpty();
    }
  }

  @Test
  void aPayloadDoesNotCountAgainstAPageAndIsNotCarriedInIt() {
    try (TwoMembers members = new TwoMembers("listing-payloads", 5961)) {
      TaskStore store = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        specs.add(TaskSpec.builder().id("heavy-" + (char) ('a' + i)).type("echo").payload("p".repeat(1_000_000)).build());
      }
      store.submitAll(specs);

      // 20 MB of payloads, over a page's 8 MiB; none of it is a view's.
      TaskPage page = store.list(null, 20, null);
      assertThat(page.items()).hasSize(20).allSatisfy(task -> assertThat(task.payloadBytes()).isEqualTo(1_000_000));
      assertThat(page.nextCursor()).isEqualTo("heavy-t");
      assertThat(store.list(null, 20, page.nextCursor()).items()).isEmpty();
    }
  }

  @Test
  void aTaskThatLeavesMemoryBetweenThePagesTwoReadsIsStillOnThePage() {
    // A store behind the map, written through, as a node's database is (written behind).
    MemoryDatabase store = new MemoryDatabase();
    try (TwoMembers members = new TwoMembers("listing-evicted", 5971, config ->
        config.getMapConfig(TaskStore.TASKS_MAP).getMapStoreConfig().setEnabled(true).setImplementation(store))) {
      TaskStore tasks = TaskStore.onMember(members.first, Clock.systemUTC(), null);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        ids.add("evicted-" + i);
        tasks.submit(TaskSpec.builder().id("evicted-" + i).type("echo").payload("p" + i).build());
      }
      // Read after memory's ids and before their tasks: there every task leaves memory, as the
      // sweeper's eviction at the end of a residency may do at that moment.
      members.first.getUserContext().put(TaskArchive.CONTEXT_KEY, (TaskArchive) (after, status, limit, maxBytes) -> {
        tasks.map().evictAll();
        return List.of();
      });

      TaskPage page = tasks.list(null, 10, null);
      assertThat(page.items()).extracting(TaskView::id).containsExactlyElementsOf(ids);
      assertThat(page.items()).allSatisfy(task -> assertThat(task.payloadBytes()).isEqualTo(2));
    }
  }

  private static List<String> walk(TaskStore store, TaskStatus status, int limit) {
    List<String> ids = new ArrayList<>();
    String cursor = null;
    do {
      TaskPage page = store.list(status, limit, cursor);
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      page.items().forEach(task -> {
        ids.add(task.id());
        if (status != null) {
          assertThat(task.status()).isEqualTo(status);
        }
      });
      cursor = page.nextCursor();
    } while (cursor != null);
    return ids;
  }
}
