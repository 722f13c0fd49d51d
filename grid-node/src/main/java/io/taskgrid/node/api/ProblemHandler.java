package io.taskgrid.node.api;

import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.OperationTimeoutException;
import com.hazelcast.spi.exception.RetryableHazelcastException;
import com.hazelcast.splitbrainprotection.SplitBrainProtectionException;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.PayloadTooLargeException;
import io.taskgrid.model.TaskConflictException;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.node.persistence.TaskStoreUnavailableException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;

/**
 * Turns errors into {@code application/problem+json} (RFC 9457) with the offending {@code field}
 * and the {@code reason}: 400 bad input, 413 payload too large, 404 unknown task, 409 conflict,
 * 503 when the cluster cannot serve the request now.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  @ExceptionHandler(PayloadTooLargeException.class)
  ProblemDetail tooLarge(PayloadTooLargeException e) {
    return problem(HttpStatus.CONTENT_TOO_LARGE, "Payload too large", e.field(), e.reason());
  }

  @ExceptionHandler(InvalidTaskException.class)
  ProblemDetail invalid(InvalidTaskException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid task", e.field(), e.reason());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ProblemDetail badParameter(MethodArgumentTypeMismatchException e) {
    return problem(HttpStatus.BAD_REQUEST, "Invalid parameter", e.getName(),
        "cannot be '" + e.getValue() + "'" + (e.getRequiredType() != null && e.getRequiredType().isEnum()
            ? "; one of " + java.util.Arrays.toString(e.getRequiredType().getEnumConstants()) : ""));
  }

  @ExceptionHandler(TaskNotFoundException.class)
  ProblemDetail notFound(TaskNotFoundException e) {
    return problem(HttpStatus.NOT_FOUND, "Unknown task", "id", e.getMessage());
  }

  @ExceptionHandler(TaskConflictException.class)
  ProblemDetail conflict(TaskConflictException e) {
    return problem(HttpStatus.CONFLICT, "Conflict", "id", e.getMessage());
  }

  @ExceptionHandler({
    HazelcastInstanceNotActiveException.class,
    OperationTimeoutException.class,
    RetryableHazelcastException.class,
    SplitBrainProtectionException.class,
    TaskStoreUnavailableException.class
  })
  ResponseEntity<ProblemDetail> notReady(RuntimeException e) {
    ProblemDetail body = problem(HttpStatus.SERVICE_UNAVAILABLE, "Cluster not ready", null,
        "the cluster cannot serve this now (" + e.getClass().getSimpleName() + "); retry shortly");
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(body);
  }

  /** Malformed JSON, or a field of the wrong JSON type: name the field Jackson stopped at. */
  @Override
  protected ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    String field = "body";
    String reason = "is not valid JSON for this request";
    Throwable cause = e.getCause();
    if (cause instanceof JacksonException json) {
      String path = path(json);
      if (!path.isEmpty()) {
        field = path;
        reason = "has the wrong JSON type or format";
      }
      reason = reason + ": " + json.getOriginalMessage();
    }
    return ResponseEntity.badRequest().body(problem(HttpStatus.BAD_REQUEST, "Malformed request", field, reason));
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
