package io.taskgrid.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskgrid.client.TaskGridClient;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.InvalidRequestException;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.PayloadTooLargeException;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.TaskConflictException;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java client (a Hazelcast smart client) against a two-node cluster. */
class JavaClientTest {
  private static TestCluster cluster;
  private static TaskGridClient client;

  @BeforeAll
  static void connect() {
    cluster = new TestCluster().start(2);
    client = TaskGridClient.connect(cluster.name(), cluster.addresses());
  }

  @AfterAll
  static void disconnect() {
    client.close();
    cluster.close();
  }

  @Test
  void submitThenWhenDoneCompletesWithTheResult() throws Exception {
    TaskView submitted = client.submit(TaskSpec.builder().type("echo").payload("from the client").build()).task();

    TaskView done = client.whenDone(submitted.id()).get(20, TimeUnit.SECONDS);

    assertThat(done.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(done.result()).isEqualTo("from the client");
    assertThat(client.get(submitted.id())).contains(done);
  }

  @Test
  void whenDoneIsPushedByAListenerNotPolled() throws Exception {
    client.submit(TaskSpec.builder().id("pushed").type("sleep").payload("3000").build());
    long readsBefore = mapReads();

    CompletableFuture<TaskView> done = client.whenDone("pushed");
    TaskView view = done.get(20, TimeUnit.SECONDS);

    assertThat(view.status()).isEqualTo(TaskStatus.COMPLETED);
    // whenDone reads once after its waiter is in place (in case the task had ended already) and
    // once when the listener hears that the task ended. A poller, even at 10 per second, would
    // have made 30.
    assertThat(mapReads() - readsBefore).isLessThanOrEqualTo(2);
  }

  private static long mapReads() {
    return cluster.running().stream()
        .mapToLong(n -> n.hazelcast().getMap(TaskStore.TASKS_MAP).getLocalMapStats().getGetOperationCount())
        .sum();
  }

  @Test
  void whenDoneOfAnUnknownTaskFailsWithNotFound() {
    assertThatThrownBy(() -> client.whenDone("nobody-submitted-this").get(5, TimeUnit.SECONDS))
        .isInstanceOf(ExecutionException.class)
        .hasCauseInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void whenDoneWithinAnswersWithTheTaskAsItStandsWhenTheWaitRunsOut() throws Exception {
    client.submit(TaskSpec.builder().id("client-within").type("sleep").payload("60000").build());

    TaskView unfinished = client.whenDoneWithin("client-within", Duration.ofMillis(500)).get(20, TimeUnit.SECONDS);
    assertThat(unfinished.status()).isIn(TaskStatus.PENDING, TaskStatus.RUNNING);

    CompletableFuture<TaskView> ending = client.whenDoneWithin("client-within", Duration.ofSeconds(30));
    client.cancel("client-within");
    assertThat(ending.get(20, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThatThrownBy(() -> client.whenDoneWithin("nobody-within", Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(TaskNotFoundException.class);
  }

  @Test
  void resubmittingIsIdempotentAndADifferentSpecIsAConflict() {
    TaskSpec spec = TaskSpec.builder().id("client-idem").type("echo").payload("a").build();
    assertThat(client.submit(spec).outcome()).isEqualTo(SubmitOutcome.CREATED);
    assertThat(client.submit(spec).outcome()).isEqualTo(SubmitOutcome.EXISTING);

    assertThatThrownBy(() -> client.submit(TaskSpec.builder().id("client-idem").type("echo").payload("b").build()))
        .isInstanceOf(TaskConflictException.class)
        .hasMessageContaining("client-idem");
  }

  @Test
  void invalidSpecsAreRefusedWithTheFieldNamed() {
    assertThatThrownBy(() -> TaskSpec.builder().priority(256).build())
        .isInstanceOf(InvalidTaskException.class)
        .hasMessageStartingWith("priority");
    assertThatThrownBy(() -> TaskSpec.builder().payload("x".repeat((1 << 20) + 1)).build())
        .isInstanceOf(PayloadTooLargeException.class);
  }

  @Test
  void aBatchWhosePayloadsTogetherPassTheLimitIsRefusedWholeAndStoresNothing() {
    String mebibyte = "x".repeat(TaskSpec.MAX_PAYLOAD_BYTES);
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i <= TaskStore.MAX_BATCH_PAYLOAD_BYTES / TaskSpec.MAX_PAYLOAD_BYTES; i++) {
      specs.add(TaskSpec.builder().id("client-heavy-" + i).type("echo").payload(mebibyte).build());
    }

    assertThatThrownBy(() -> client.submitAll(specs))
        .isInstanceOf(PayloadTooLargeException.class)
        .hasMessageStartingWith("tasks: carries " + (33L << 20) + " bytes of payload");
    assertThat(client.get("client-heavy-0")).isEmpty();
    assertThat(client.submitAll(specs.subList(0, 32))).hasSize(32);
  }

  @Test
  void submitManyListAndCancel() throws Exception {
    List<TaskSpec> specs = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      specs.add(TaskSpec.builder().id("client-many-" + i).type("sleep").payload("30000").priority(1).build());
    }
    assertThat(client.submitAll(specs)).hasSize(20).allSatisfy(r -> assertThat(r.outcome()).isEqualTo(SubmitOutcome.CREATED));

    TaskPage page = client.list(null, 5, "client-many-");
    assertThat(page.items()).hasSize(5);
    assertThat(page.nextCursor()).isEqualTo(page.items().get(4).id());
    assertThatThrownBy(() -> client.list(null, 0, null))
        .isExactlyInstanceOf(InvalidRequestException.class)
        .hasMessage("limit: must be between 1 and 1000, was 0");

    for (TaskSpec spec : specs) {
      TaskView cancelled = client.cancel(spec.id());
      assertThat(cancelled.status()).isEqualTo(TaskStatus.CANCELLED);
    }
    assertThat(client.whenDone("client-many-0").get(5, TimeUnit.SECONDS).status()).isEqualTo(TaskStatus.CANCELLED);
    assertThatThrownBy(() -> client.cancel("client-many-0")).isInstanceOf(TaskConflictException.class);
    for (TestNode node : cluster.running()) {
      org.awaitility.Awaitility.await().untilAsserted(() -> assertThat(node.worker().running()).isZero());
    }
  }
}
