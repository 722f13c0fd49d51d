package io.taskgrid.node.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LifoThreadPoolTest {
  private LifoThreadPool pool;

  @AfterEach
  void close() {
    if (pool != null) {
      pool.close();
    }
  }

  /** Runs a task that waits for {@code release}; answers the name of the thread that ran it. */
  private CompletableFuture<String> blocking(CountDownLatch release) {
    CompletableFuture<String> ran = new CompletableFuture<>();
    pool.execute(() -> {
      try {
        release.await();
        ran.complete(Thread.currentThread().getName());
      } catch (InterruptedException e) {
        ran.completeExceptionally(e);
      }
    });
    return ran;
  }

  private String runOne() throws Exception {
    CompletableFuture<String> ran = new CompletableFuture<>();
    pool.execute(() -> ran.complete(Thread.currentThread().getName()));
    String name = ran.get(5, TimeUnit.SECONDS);
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.idle() == pool.threads());
    return name;
  }

  @Test
  void eachRequestGoesToTheThreadThatWentIdleLast() throws Exception {
    pool = new LifoThreadPool("test-", 10, 60, TimeUnit.SECONDS);
    List<CountDownLatch> releases = List.of(new CountDownLatch(1), new CountDownLatch(1), new CountDownLatch(1));
    List<CompletableFuture<String>> three = new ArrayList<>();
    releases.forEach(release -> three.add(blocking(release)));
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.threads() == 3);
    // Released one after the other: the third to finish goes idle last.
    for (int i = 0; i < 3; i++) {
      releases.get(i).countDown();
      int idleNow = i + 1;
      await().atMost(Duration.ofSeconds(5)).until(() -> pool.idle() == idleNow);
    }
    String last = three.get(2).get(5, TimeUnit.SECONDS);

    // One request at a time: all of them on that one thread; the other two stay parked.
    for (int i = 0; i < 20; i++) {
      assertThat(runOne()).isEqualTo(last);
    }
    assertThat(pool.threads()).isEqualTo(3);
  }

  @Test
  void growsToItsMaximumThenQueuesRequestsForTheNextFreeThread() throws Exception {
    pool = new LifoThreadPool("test-", 2, 60, TimeUnit.SECONDS);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first = blocking(release);
    CompletableFuture<String> second = blocking(release);
    CompletableFuture<String> third = new CompletableFuture<>();
    pool.execute(() -> third.complete(Thread.currentThread().getName()));

    await().atMost(Duration.ofSeconds(5)).until(() -> pool.threads() == 2);
    assertThat(third).isNotDone();
    release.countDown();
    assertThat(third.get(5, TimeUnit.SECONDS)).isIn(first.get(5, TimeUnit.SECONDS), second.get(5, TimeUnit.SECONDS));
    assertThat(pool.threads()).isEqualTo(2);
  }

  @Test
  void threadsEndAfterTheKeepAliveIdle() throws Exception {
    pool = new LifoThreadPool("test-", 4, 200, TimeUnit.MILLISECONDS);
    CountDownLatch release = new CountDownLatch(1);
    blocking(release);
    blocking(release);
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.threads() == 2);
    release.countDown();

    await().atMost(Duration.ofSeconds(5)).until(() -> pool.threads() == 0);
    assertThat(runOne()).startsWith("test-");
  }

  @Test
  void aTaskThatThrowsLeavesItsThreadServing() throws Exception {
    pool = new LifoThreadPool("test-", 1, 60, TimeUnit.SECONDS);
    pool.execute(() -> {
      throw new IllegalStateException("a request that fails (expected in this test)");
    });
    // The pool reports the failure to the thread's uncaught-exception handler, which Awaitility
    // would otherwise take for a failure of this test.
    await().dontCatchUncaughtExceptions().atMost(Duration.ofSeconds(5))
        .until(() -> pool.threads() == 1 && pool.idle() == 1);
    assertThat(runOne()).isEqualTo("test-1");
  }

  @Test
  void closeEndsTheIdleThreadsAndRefusesRequests() throws Exception {
    pool = new LifoThreadPool("test-", 4, 60, TimeUnit.SECONDS);
    runOne();
    assertThat(pool.threads()).isEqualTo(1);

    pool.close();
    await().atMost(Duration.ofSeconds(5)).until(() -> pool.threads() == 0);
    assertThatThrownBy(() -> pool.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
  }
}
