package io.taskgrid.node.api;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.InvalidRequestException;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.execution.HandlerRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.json.JsonMapper;

/**
 * The task API: submit a batch, read (at once or when the task ends), list, cancel. Every node
 * serves all of it. A single submission ({@code POST /api/tasks}) is served by {@link
 * SubmitEndpoint}.
 */
@RestController
@RequestMapping("/api/tasks")
class TaskController {
  /** The longest a long poll waits: proxies and load balancers often close a quiet request at 60 s. */
  static final int MAX_WAIT_SECONDS = 60;

  private final TaskStore store;
  private final HandlerRegistry handlers;
  private final RequestBodies bodies;
  private final ObjectReader batches;

  TaskController(TaskStore store, HandlerRegistry handlers, RequestBodies bodies, JsonMapper json) {
    this.store = store;
    this.handlers = handlers;
    this.bodies = bodies;
    this.batches = json.readerFor(new TypeReference<List<TaskRequest>>() {});
  }

  /** One line of a batch answer. */
  record BatchItem(String id, TaskStatus status, SubmitOutcome outcome) {}

  /** The answer to a batch. */
  record BatchResponse(List<BatchItem> tasks) {}

  /**
   * Up to 10,000 tasks; all are validated before any is stored. The body is read here rather than
   * by Spring MVC, so that it is refused once it passes its limit instead of being read whole.
   */
  @PostMapping("/batch")
  ResponseEntity<BatchResponse> submitBatch(HttpServletRequest request) throws IOException {
    try (RequestBodies.Body body = bodies.open(request, RequestBodies.BATCH_BYTES)) {
      return submitBatch(body.<List<TaskRequest>>read(batches));
    }
  }

  private ResponseEntity<BatchResponse> submitBatch(List<TaskRequest> requests) {
    if (requests == null || requests.isEmpty() || requests.size() > TaskStore.MAX_BATCH) {
      throw new InvalidTaskException("body", "must be a JSON array of 1 to " + TaskStore.MAX_BATCH + " tasks");
    }
    List<TaskSpec> specs = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i++) {
      if (requests.get(i) == null) {
        throw new InvalidTaskException("[" + i + "]", "must be a JSON object describing one task");
      }
      specs.add(requests.get(i).toSpec("[" + i + "].", handlers));
    }
    TaskStore.requirePayloadsFit(specs, "body");
    List<BatchItem> items = store.submitAll(specs).stream()
        .map(r -> new BatchItem(r.task().id(), r.task().status(), r.outcome()))
        .toList();
    return ResponseEntity.status(HttpStatus.CREATED).body(new BatchResponse(items));
  }

  @GetMapping("/{id}")
  TaskView get(@PathVariable String id) {
    return store.get(id).orElseThrow(() -> new TaskNotFoundException(id));
  }

  /**
   * A long poll: the task once it has ended, or as it stands after {@code waitSeconds} (0 to
   * {@value #MAX_WAIT_SECONDS}), 200 either way. No request thread waits meanwhile.
   */
  @GetMapping(path = "/{id}", params = "waitSeconds")
  DeferredResult<TaskView> getWhenDone(@PathVariable String id, @RequestParam int waitSeconds) {
    if (waitSeconds < 0 || waitSeconds > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException("waitSeconds",
          "must be between 0 and " + MAX_WAIT_SECONDS + ", was " + waitSeconds);
    }
    // The container's own timeout (a 503) only for a grid that has not answered long after the wait.
    DeferredResult<TaskView> answer = new DeferredResult<>(TimeUnit.SECONDS.toMillis(waitSeconds + 30L));
    store.whenDoneWithin(id, Duration.ofSeconds(waitSeconds)).whenComplete((view, error) -> {
      if (error == null) {
        answer.setResult(view);
      } else {
        answer.setErrorResult(error instanceof CompletionException && error.getCause() != null ? error.getCause() : error);
      }
    });
    return answer;
  }

  @GetMapping
  TaskPage list(
      @RequestParam(required = false) TaskStatus status,
      @RequestParam(defaultValue = "100") int limit,
      @RequestParam(required = false) String cursor) {
    return store.list(status, limit, cursor);
  }

  /** Cancels a pending or running task; 409 if it has already ended. */
  @DeleteMapping("/{id}")
  TaskView cancel(@PathVariable String id) {
    return store.cancel(id);
  }
}
