package io.taskgrid.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A busy node's hand-over of pending tasks to an idle one, and its end when the node leaves. */
class HandOverTest {

  @Test
  void aNodeAboutToLeaveClaimsNothingMoreForOtherNodes() {
    try (TestCluster cluster = new TestCluster().with("taskgrid.capacity", 1).start(1)) {
      TestNode node = cluster.node(1);
      TaskStore store = node.store();
      store.submit(TaskSpec.builder().id("busy").type("sleep").payload("2000").build());
      assertThat(store.submit(TaskSpec.builder().id("waiting").type("echo").payload("later").build()).task().status())
          .isEqualTo(TaskStatus.PENDING);
      Dispatcher dispatcher = node.bean(Dispatcher.class);

      // Its drain is over: a hand-over asked of it now would be answered after it has shut down,
      // and the tasks claimed for the asker would wait out their lease.
      dispatcher.stopHandOvers();

      assertThat(dispatcher.handOver("some-idle-node", 1)).isEmpty();
      assertThat(store.get("waiting").orElseThrow().status()).isEqualTo(TaskStatus.PENDING);
      // Still pending here, so it runs here once the slot frees.
      await().atMost(Duration.ofSeconds(20)).until(() -> store.get("waiting").orElseThrow().status() == TaskStatus.COMPLETED);
      assertThat(store.get("waiting").orElseThrow().node()).isEqualTo(node.id());
    }
  }
}
