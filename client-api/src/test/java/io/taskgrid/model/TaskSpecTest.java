package io.taskgrid.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TaskSpecTest {
  @Test
  void defaultsFillEveryUnsetField() {
    TaskSpec spec = TaskSpec.builder().build();
    assertThat(spec.id()).matches("[0-9a-f-]{36}");
    assertThat(spec.type()).isEqualTo("sim");
    assertThat(spec.payload()).isEmpty();
    assertThat(spec.priority()).isZero();
    assertThat(spec.deadline()).isNull();
    assertThat(spec.maxAttempts()).isEqualTo(3);
  }

  @Test
  void eachBadFieldIsNamed() {
    assertField(TaskSpec.builder().id(""), "id");
    assertField(TaskSpec.builder().id("x".repeat(129)), "id");
    assertField(TaskSpec.builder().id("has space"), "id");
    assertField(TaskSpec.builder().type("no/slash"), "type");
    assertField(TaskSpec.builder().priority(-1), "priority");
    assertField(TaskSpec.builder().priority(256), "priority");
    assertField(TaskSpec.builder().maxAttempts(0), "maxAttempts");
    assertField(TaskSpec.builder().maxAttempts(101), "maxAttempts");
    assertField(TaskSpec.builder().payload("€".repeat(350_000)), "payload"); // 3 bytes each: over 1 MiB
  }

  @Test
  void limitsAreInclusive() {
    TaskSpec spec = TaskSpec.builder().id("a:b.c_d-1").priority(255).maxAttempts(100).payload("x".repeat(1 << 20)).build();
    assertThat(spec.payloadUtf8()).hasSize(1 << 20);
  }

  private static void assertField(TaskSpec.Builder builder, String field) {
    assertThatThrownBy(builder::build)
        .isInstanceOfSatisfying(InvalidTaskException.class, e -> assertThat(e.field()).isEqualTo(field));
  }
}
