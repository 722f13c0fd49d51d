package io.taskgrid.node.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeapPressureTest {

  @Test
  void fullOverTheShareUntilAMarginUnderItAndEachChangeToldOnce() {
    HeapPressure heap = new HeapPressure(0.8, Duration.ofSeconds(5));
    try {
      AtomicInteger changes = new AtomicInteger();
      heap.onChange(changes::incrementAndGet);

      heap.update(0.8);
      assertThat(heap.full()).isFalse();
      heap.update(0.81);
      heap.update(0.95);
      assertThat(heap.full()).isTrue();
      assertThat(changes).hasValue(1);
      // Back at the threshold, or just under it, is not enough to take tasks again.
      heap.update(0.8);
      heap.update(0.76);
      assertThat(heap.full()).isTrue();
      assertThat(changes).hasValue(1);
      heap.update(0.75);
      assertThat(heap.full()).isFalse();
      assertThat(changes).hasValue(2);
      heap.update(0.79);
      assertThat(heap.full()).as("under the threshold, not full").isFalse();
      heap.update(0.9);
      heap.update(0.5);
      assertThat(heap.full()).isFalse();
      assertThat(heap.afterGc()).isEqualTo(0.5);
      assertThat(changes).hasValue(4);
    } finally {
      heap.destroy();
    }
  }

  @Test
  void aCollectionTellsHowMuchOfTheHeapItLeftInUse() {
    HeapPressure heap = new HeapPressure(1.0, Duration.ofSeconds(5));
    try {
      byte[] kept = new byte[8 << 20];
      System.gc();
      await().atMost(Duration.ofSeconds(10)).until(() -> heap.afterGc() > 0);
      // At least what is kept, at most the whole heap.
      assertThat(heap.afterGc() * Runtime.getRuntime().maxMemory()).isGreaterThanOrEqualTo(kept.length);
      assertThat(heap.afterGc()).isLessThanOrEqualTo(1.0);
      assertThat(heap.full()).isFalse();
    } finally {
      heap.destroy();
    }
  }

  @Test
  void aFullNodeThatSeesNoCollectionAsksForOneAndLearnsWhatIsLive() {
    HeapPressure heap = new HeapPressure(0.999, Duration.ofMillis(100));
    try {
      // As a collection that left the heap full would; no other collection comes meanwhile unless asked.
      heap.update(1.0);
      assertThat(heap.full()).isTrue();
      await().atMost(Duration.ofSeconds(10)).until(() -> {
        heap.collectIfStale();
        return !heap.full();
      });
      assertThat(heap.afterGc()).isLessThan(0.999);
    } finally {
      heap.destroy();
    }
  }
}
