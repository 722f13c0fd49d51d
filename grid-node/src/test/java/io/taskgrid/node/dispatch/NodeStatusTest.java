package io.taskgrid.node.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NodeStatusTest {
  private static final Candidate BEST = new Candidate("t1", 5, 1_000, 1, 7);

  private static NodeStatus status(int running, int pending, int waiting, Candidate best) {
    return status(running, pending, waiting, best, false);
  }

  private static NodeStatus status(int running, int pending, int waiting, Candidate best, boolean memoryFull) {
    return new NodeStatus("node-a", "127.0.0.1:5701", "http://127.0.0.1:8081", 10, running, pending, waiting, best,
        false, memoryFull);
  }

  @Test
  void countsAloneDoNotSteerOtherNodes() {
    NodeStatus before = status(10, 5_000, 4_100, BEST);
    // Another task of the same rank at the head, fewer waiting but within the same power of two.
    NodeStatus after = status(9, 4_900, 4_097, new Candidate("t2", 5, 1_000, 2, 8));

    assertThat(after.sameAs(before)).isFalse();
    assertThat(after.steersLike(before)).isTrue();
  }

  @Test
  void aBacklogThatAppearsOrGoesSteers() {
    assertThat(status(10, 1, 1, BEST).steersLike(status(10, 0, 0, null))).isFalse();
    assertThat(status(10, 5, 0, BEST).steersLike(status(10, 5, 3, BEST))).isFalse();
  }

  @Test
  void aBacklogTwiceAsLargeSteers() {
    assertThat(status(10, 40, 30, BEST).steersLike(status(10, 20, 15, BEST))).isFalse();
    assertThat(status(10, 40, 31, BEST).steersLike(status(10, 20, 16, BEST))).isTrue();
  }

  @Test
  void aBestTaskOfAnotherRankSteers() {
    assertThat(status(10, 5, 5, new Candidate("t9", 6, 1_000, 9, 7)).steersLike(status(10, 5, 5, BEST))).isFalse();
    assertThat(status(10, 5, 5, new Candidate("t9", 5, 999, 9, 7)).steersLike(status(10, 5, 5, BEST))).isFalse();
  }

  @Test
  void aHeapThatFillsOrEmptiesIsPublishedAtOnce() {
    // Not held back as a count: every node refuses or takes submissions by it.
    assertThat(status(10, 5, 5, BEST, true).steersLike(status(10, 5, 5, BEST, false))).isFalse();
  }
}
