package io.taskgrid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Walks every pair of the transition table. */
class TaskStatusTest {
  private static final Set<String> ALLOWED = Set.of(
      "PENDING>RUNNING", "PENDING>FAILED", "PENDING>CANCELLED",
      "RUNNING>PENDING", "RUNNING>COMPLETED", "RUNNING>FAILED", "RUNNING>CANCELLED");

  @Test
  void exactlyTheDocumentedTransitionsAreAllowed() {
    for (TaskStatus from : TaskStatus.values()) {
      for (TaskStatus to : TaskStatus.values()) {
        boolean expected = ALLOWED.contains(from + ">" + to);
        assertThat(from.canMoveTo(to)).as(from + " -> " + to).isEqualTo(expected);
        if (!expected) {
          assertThatThrownBy(() -> from.checkMoveTo(to))
              .isInstanceOf(IllegalTaskStateTransitionException.class)
              .hasMessageContaining(from.name()).hasMessageContaining(to.name());
        }
      }
    }
  }

  @Test
  void terminalStatusesAreExactlyTheOnesWithNoWayOut() {
    for (TaskStatus status : TaskStatus.values()) {
      boolean noWayOut = EnumSet.allOf(TaskStatus.class).stream().noneMatch(status::canMoveTo);
      assertThat(status.isTerminal()).as(status.name()).isEqualTo(noWayOut);
    }
  }

  @Test
  void ofOrdinalIsTheInverseOfOrdinal() {
    for (TaskStatus status : TaskStatus.values()) {
      assertThat(TaskStatus.ofOrdinal(status.ordinal())).isSameAs(status);
    }
    assertThatThrownBy(() -> TaskStatus.ofOrdinal(TaskStatus.values().length))
        .isInstanceOf(ArrayIndexOutOfBoundsException.class);
  }
}
