package io.taskgrid.node.api;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.taskgrid.model.ClusterFullException;
import io.taskgrid.model.InvalidRequestException;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.PayloadTooLargeException;
import io.taskgrid.model.TaskConflictException;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.node.persistence.TaskStoreUnavailableException;
import java.util.List;
import java.util.TreeSet;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns errors into {@code application/problem+json} (RFC 9457) with the offending {@code field}
 * and the {@code reason}: 400 bad input, 413 payload or body too large, 404 unknown task, 409
 * conflict, 503 when the cluster cannot serve the request now, has no heap for new tasks, or the node
 * has no room for its body.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  /** The task API's own errors; {@link SubmitEndpoint} answers the same ones through {@link #answer}. */
  @ExceptionHandler({
    InvalidRequestException.class,
    TaskNotFoundException.class,
    TaskConflictException.class,
    HazelcastInstanceNotActiveException.class,
    OperationTimeoutException.class,
    RetryableHazelcastException.class,
    SplitBrainProtectionException.class,
    TaskStoreUnavailableException.class,
    ClusterFullException.class,
    JacksonException.class,
    RequestBodies.UnsupportedBody.class,
    RequestBodies.TooLarge.class,
    RequestBodies.Busy.class
  })
  ResponseEntity<ProblemDetail> taskApiError(RuntimeException e) {
    return answer(e);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid parameter", e.getName(),
        "cannot be '" + e.getValue() + "'" + (e.getRequiredType() != null && e.getRequiredType().isEnum()
            ? "; one of " + java.util.Arrays.toString(e.getRequiredType().getEnumConstants()) : ""));
  }

  /**
   * The answer to an error of the task API, or null when {@code e} is not one: a bug, which
   * Spring answers with 500.
   */
  static ResponseEntity<ProblemDetail> answer(RuntimeException e) {
    RequestBodies.TooLarge tooLargeBody = RequestBodies.causeOf(e, RequestBodies.TooLarge.class);
    if (tooLargeBody != null) {
      return answer(HttpStatus.CONTENT_TOO_LARGE, "Request too large", "body", tooLargeBody.getMessage());
    }
    RequestBodies.Busy busy = RequestBodies.causeOf(e, RequestBodies.Busy.class);
    if (busy != null) {
      return unavailable("Node busy", "body", busy.getMessage());
    }
    if (e instanceof ClusterFullException full) {
      return unavailable("Cluster memory full", null, full.getMessage());
    }
    if (e instanceof PayloadTooLargeException tooLarge) {
      return answer(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", tooLarge.field(), tooLarge.reason());
    }
    if (e instanceof InvalidRequestException invalid) {
      String title = invalid instanceof InvalidTaskException ? "Invalid task" : "Invalid parameter";
      return answer(HttpStatus.BAD_REQUEST, title, invalid.field(), invalid.reason());
    }
    if (e instanceof TaskNotFoundException notFound) {
      return answer(HttpStatus.NOT_FOUND, "Unknown task", "id", "names no task: '" + notFound.taskId() + "'");
    }
    if (e instanceof TaskConflictException) {
      // The message is a sentence of its own ("task 'x' already exists with a different spec").
      ProblemDetail conflict = problem(HttpStatus.CONFLICT, "Conflict", "id", e.getMessage());
      conflict.setDetail(e.getMessage());
      return ResponseEntity.status(HttpStatus.CONFLICT).body(conflict);
    }
    if (e instanceof JacksonException json) {
      return ResponseEntity.badRequest().body(malformed(json));
    }
    if (e instanceof RequestBodies.UnsupportedBody) {
      return ResponseEntity.status(HttpStatus.UNSUPPORTED_MEDIA_TYPE)
          .header(HttpHeaders.ACCEPT, MediaType.APPLICATION_JSON_VALUE)
          .body(problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", "Content-Type", e.getMessage()));
    }
    boolean notReady = e instanceof HazelcastInstanceNotActiveException
        || e instanceof OperationTimeoutException
        || e instanceof RetryableHazelcastException
        || e instanceof SplitBrainProtectionException
        || e instanceof TaskStoreUnavailableException;
    return notReady ? notReady(e) : null;
  }

  private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String title, String field, String reason) {
    return ResponseEntity.status(status).body(problem(status, title, field, reason));
  }

  private static ResponseEntity<ProblemDetail> notReady(RuntimeException e) {
    return unavailable("Cluster not ready", null,
        "the cluster cannot serve this now (" + e.getClass().getSimpleName() + "); retry shortly");
  }

  /** 503 with Retry-After: nothing was changed, and the same request may succeed in a moment. */
  private static ResponseEntity<ProblemDetail> unavailable(String title, String field, String reason) {
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, title, field, reason));
  }

  /** Malformed JSON, or a field of the wrong JSON type: name the field Jackson stopped at. */
  private static ProblemDetail malformed(JacksonException json) {
    String path = path(json);
    String field = path.isEmpty() ? "body" : path;
    return problem(HttpStatus.BAD_REQUEST, "Malformed request", field, reason(json, path.isEmpty()));
  }

  /**
   * Why Jackson stopped, in the API's terms: the JSON type a field or the body must have, or the
   * fields a task has. Jackson's own message, which names Java types, only where neither applies.
   */
  private static String reason(JacksonException json, boolean wholeBody) {
    if (json instanceof UnrecognizedPropertyException unknown) {
      return "is not a field of a task; its fields are "
          + new TreeSet<>(unknown.getKnownPropertyIds().stream().map(String::valueOf).toList());
    }
    if (json instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null) {
      Class<?> target = mismatch.getTargetType();
      if (target == TaskRequest.class) {
        return "must be a JSON object describing one task";
      }
      if (List.class.isAssignableFrom(target)) {
        return "must be a JSON array of tasks";
      }
      if (target == Integer.class || target == int.class) {
        return "must be a JSON integer";
      }
      if (target == String.class) {
        return "must be a JSON string";
      }
    }
    return (wholeBody ? "is not valid JSON for this request" : "has the wrong JSON type or format")
        + ": " + json.getOriginalMessage();
  }

  private static String path(JacksonException e) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference ref : e.getPath()) {
      if (ref.getPropertyName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
      } else if (ref.getIndex() >= 0) {
        path.append('[').append(ref.getIndex()).append(']');
      }
    }
    return path.toString();
  }

  static ProblemDetail problem(HttpStatus status, String title, String field, String reason) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, field == null ? reason : field + " " + reason);
    problem.setTitle(title);
    if (field != null) {
      problem.setProperty("field", field);
    }
    problem.setProperty("reason", reason);
    return problem;
  }
}
