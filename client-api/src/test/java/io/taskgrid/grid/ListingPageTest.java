package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskgrid.model.TaskSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a listing's page is drawn from memory and the archive: one order, no task twice, no task skipped. */
class ListingPageTest {
  private static final long BUDGET = 1_000_000;

  @Test
  void aTaskInBothPlacesIsTakenFromMemoryAndThePagesInterleaveInIdOrder() {
    ListingPage page = ListingPage.choose(resident("b", "d", "e"), archived("a", "b", "c"), 10, BUDGET);

    assertThat(page.ids()).containsExactly("a", "b", "c", "d", "e");
    assertThat(page.inMemory()).containsExactlyInAnyOrder("b", "d", "e");
    assertThat(page.archived()).containsOnlyKeys("a", "c");
    assertThat(page.next()).as("neither place had more").isNull();
  }

  @Test
  void aPlaceThatAnsweredAFullPageBoundsItSoThatNothingBelowTheCursorIsLeftOut() {
    // Memory's page is full at "c": it may hold "d" too, which the archive's "e" must not pass.
    ListingPage full = ListingPage.choose(resident("a", "b", "c"), archived("e"), 3, BUDGET);
    assertThat(full.ids()).containsExactly("a", "b", "c");
    assertThat(full.next()).isEqualTo("c");

    // The archive's page is full at "b"; memory's "c" and "d" wait for the next page.
    ListingPage archiveFull = ListingPage.choose(resident("c", "d"), archived("a", "b"), 2, BUDGET);
    assertThat(archiveFull.ids()).containsExactly("a", "b");
    assertThat(archiveFull.next()).isEqualTo("b");

    // Both full: the lower bound; memory's "x" is not on this page, and the next starts after "b".
    ListingPage both = ListingPage.choose(resident("b", "x"), archived("a", "b"), 2, BUDGET);
    assertThat(both.ids()).containsExactly("a", "b");
    assertThat(both.next()).isEqualTo("b");
  }

  @Test
  void aPageStopsBeforeTheTaskThatWouldTakeItsViewsOverTheBudgetButHoldsOneAtLeast() {
    TaskRecord big = finished("b", 600_000);
    TaskRecord bigger = finished("c", 2_000_000);
    ListingPage page = ListingPage.choose(List.of(), List.of(finished("a", 300_000), big, bigger), 10, BUDGET);
    assertThat(page.ids()).containsExactly("a", "b");
    assertThat(page.next()).isEqualTo("b");

    ListingPage alone = ListingPage.choose(List.of(), List.of(bigger), 10, BUDGET);
    assertThat(alone.ids()).containsExactly("c");
    assertThat(alone.next()).as("the archive stopped at its budget, so it may have more").isEqualTo("c");
  }

  @Test
  void aPayloadDoesNotCountAgainstThePageButAResultDoes() {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id("p").type("echo").payload("x".repeat(500_000)).build(), 1, 1);
    byte[] stored = task.toBytes();
    assertThat(TaskRecord.viewBytesAt(stored, 0)).isEqualTo(task.viewBytes()).isLessThan(200);

    task.startOn("node", 2, 3);
    task.completeWith("y".repeat(400_000), 4);
    assertThat(TaskRecord.viewBytesAt(task.toBytes(), 0)).isEqualTo(task.viewBytes()).isBetween(400_000, 400_200);
  }

  private static List<FirstIds.Found> resident(String... ids) {
    return Arrays.stream(ids).map(id -> new FirstIds.Found(id, 100)).toList();
  }

  private static List<TaskRecord> archived(String... ids) {
    return Arrays.stream(ids).map(id -> finished(id, 10)).toList();
  }

  private static TaskRecord finished(String id, int resultChars) {
    TaskRecord task = TaskRecord.pending(TaskSpec.builder().id(id).type("echo").build(), 1, 1);
    task.startOn("node", 2, 3);
    task.completeWith("r".repeat(resultChars), 4);
    return task;
  }
}
