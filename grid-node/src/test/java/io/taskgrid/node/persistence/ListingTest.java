package io.taskgrid.node.persistence;

import static io.taskgrid.node.persistence.PersistentClusters.clusterOn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import tools.jackson.databind.JsonNode;
import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.Http;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Listings cover every task the cluster keeps: the unfinished and recently finished ones in memory,
 * and the finished ones that have left it, read from the database, in one id order, through the
 * REST API, a member's store and the Java client alike; and a page of large results stops at its
 * byte budget.
 */
class ListingTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void finishedTasksThatLeftMemoryAreListedFromTheDatabaseAmongThoseInMemory(TaskDatabase database) {
    try (TestCluster cluster = clusterOn(database).with("taskgrid.persistence.residency", "1s")
        .with("taskgrid.persistence.sweep-interval", "300ms").start(2);
        TaskGridClient client = TaskGridClient.connect(cluster.name(), cluster.addresses())) {
      TaskStore store = cluster.node(1).store();
      TreeSet<String> completed = new TreeSet<>();
      TreeSet<String> failed = new TreeSet<>();
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        // Case and punctuation mixed: an en-US collation (the test PostgreSQL's) sorts these
        // otherwise than Java does, and a listing must page in one order.
        String id = List.of("list-", "List_", "list.", "LIST:").get(i % 4) + (i * 7 % 30) + (i % 3 == 0 ? "-failed" : "");
        boolean fails = i % 3 == 0;
        (fails ? failed : completed).add(id);
        specs.add(TaskSpec.builder().id(id).type(fails ? "fail" : "echo").payload("result of " + id).maxAttempts(1)
            .build());
      }
      store.submitAll(specs);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          specs.stream().allMatch(spec -> store.get(spec.id()).orElseThrow().status().isTerminal()));
      // Every one has left memory; the database holds them.
      await().atMost(Duration.ofSeconds(20)).until(() -> store.map().size() == 0);
      // Two that run on, among them in id order.
      TreeSet<String> running = new TreeSet<>(List.of("List_1-running", "list.25-running"));
      running.forEach(id -> store.submit(TaskSpec.builder().id(id).type("sleep").payload("60000").build()));
      await().atMost(Duration.ofSeconds(10)).until(() ->
          running.stream().allMatch(id -> store.get(id).orElseThrow().status() == TaskStatus.RUNNING));

      TreeSet<String> all = new TreeSet<>(completed);
      all.addAll(failed);
      all.addAll(running);
      for (Function<Query, TaskPage> lister : List.<Function<Query, TaskPage>>of(
          q -> store.list(q.status(), q.limit(), q.cursor()),
          q -> client.list(q.status(), q.limit(), q.cursor()),
          q -> rest(cluster.node(2).http(), q))) {
        assertThat(walk(lister, null, 7)).extracting(TaskView::id).containsExactlyElementsOf(all);
        assertThat(walk(lister, TaskStatus.FAILED, 4)).extracting(TaskView::id).containsExactlyElementsOf(failed);
        assertThat(walk(lister, TaskStatus.RUNNING, 1)).extracting(TaskView::id).containsExactlyElementsOf(running);
        List<TaskView> done = walk(lister, TaskStatus.COMPLETED, 100);
        assertThat(done).extracting(TaskView::id).containsExactlyElementsOf(completed);
        assertThat(done).allSatisfy(task -> assertThat(task.result()).isEqualTo("result of " + task.id()));
        assertThat(walk(lister, TaskStatus.PENDING, 5)).isEmpty();
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aPageOfLargeResultsStopsAtItsByteBudgetInMemoryAndInTheDatabase(TaskDatabase database) {
    try (TestCluster cluster = clusterOn(database).with("taskgrid.persistence.residency", "5s")
        .with("taskgrid.persistence.sweep-interval", "300ms").start(2)) {
      TaskStore store = cluster.node(1).store();
      List<TaskSpec> specs = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        // echo answers its payload: ten results of 1,000,000 bytes, over a page's 8 MiB together.
        specs.add(TaskSpec.builder().id("large-" + i).type("echo").payload(String.valueOf(i).repeat(1_000_000))
            .build());
      }
      store.submitAll(specs);
      await().atMost(Duration.ofSeconds(20)).until(() ->
          specs.stream().allMatch(spec -> store.get(spec.id()).orElseThrow().status() == TaskStatus.COMPLETED));

      Http http = cluster.node(2).http();
      assertLargePages(http);
      await().atMost(Duration.ofSeconds(20)).until(() -> store.map().size() == 0);
      assertLargePages(http);
    }
  }

  private static void assertLargePages(Http http) {
    TaskPage first = rest(http, new Query(null, 10, null));
    assertThat(first.items()).extracting(TaskView::id)
        .containsExactly("large-0", "large-1", "large-2", "large-3", "large-4", "large-5", "large-6", "large-7");
    assertThat(first.items()).allSatisfy(task -> assertThat(task.result()).hasSize(1_000_000));
    assertThat(first.nextCursor()).isEqualTo("large-7");
    TaskPage second = rest(http, new Query(null, 10, first.nextCursor()));
    assertThat(second.items()).extracting(TaskView::id).containsExactly("large-8", "large-9");
    assertThat(second.nextCursor()).isNull();
  }

  private record Query(TaskStatus status, int limit, String cursor) {}

  private static List<TaskView> walk(Function<Query, TaskPage> lister, TaskStatus status, int limit) {
    List<TaskView> tasks = new ArrayList<>();
    String cursor = null;
    do {
      TaskPage page = lister.apply(new Query(status, limit, cursor));
      assertThat(page.items()).hasSizeLessThanOrEqualTo(limit);
      tasks.addAll(page.items());
      cursor = page.nextCursor();
    } while (cursor != null);
    return tasks;
  }

  private static TaskPage rest(Http http, Query query) {
    String path = "/api/tasks?limit=" + query.limit()
        + (query.status() != null ? "&status=" + query.status() : "")
        + (query.cursor() != null ? "&cursor=" + query.cursor() : "");
    Http.Response response = http.get(path);
    assertThat(response.status()).isEqualTo(200);
    List<TaskView> items = new ArrayList<>();
    for (JsonNode item : response.body().get("items")) {
      items.add(Http.JSON.convertValue(item, TaskView.class));
    }
    JsonNode next = response.body().get("nextCursor");
    return new TaskPage(items, next == null || next.isNull() ? null : next.asString());
  }
}
