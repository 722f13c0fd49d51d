package io.taskgrid.node.api;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskView;
import io.taskgrid.node.execution.HandlerRegistry;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves {@code POST /api/tasks}, the one endpoint called once per task, in a servlet filter
 * instead of a Spring MVC controller method: Spring MVC's generic handler lookup, argument and
 * return value handling took about three times the CPU of the submission call itself, and without
 * them a submission costs the cluster about a quarter less CPU (docs/performance.md). The
 * answers are the same as the rest of the API's: the task as JSON (201 with its Location, 200 for
 * an identical resubmission), and problem+json from {@link ProblemHandler#answer} for errors.
 * Each submission is timed in {@code http.server.requests} by a {@link SubmissionTimer}. Every
 * other request, and any other method on this path, goes on down the chain to Spring MVC.
 */
final class SubmitEndpoint implements Filter {
  static final String PATH = "/api/tasks";

  private final TaskStore store;
  private final HandlerRegistry handlers;
  private final RequestBodies bodies;
  private final SubmissionTimer timer;
  private final ObjectReader requests;
  private final ObjectWriter views;
  private final ObjectWriter problems;

  SubmitEndpoint(TaskStore store, HandlerRegistry handlers, RequestBodies bodies, JsonMapper json,
      SubmissionTimer timer) {
    this.store = store;
    this.handlers = handlers;
    this.bodies = bodies;
    this.timer = timer;
    this.requests = json.readerFor(TaskRequest.class);
    this.views = json.writerFor(TaskView.class);
    this.problems = json.writerFor(Map.class);
  }

  @Override
  public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
    HttpServletRequest request = (HttpServletRequest) req;
    if (!serves(request)) {
      chain.doFilter(req, res);
      return;
    }
    long start = System.nanoTime();
    HttpServletResponse response = (HttpServletResponse) res;
    try {
      submit(request, response);
      timer.record(start, response.getStatus(), null);
    } catch (IOException | RuntimeException e) {
      timer.record(start, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, e);
      throw e;
    }
  }

  /** Whether this endpoint answers {@code request}, not the rest of the chain. */
  private static boolean serves(HttpServletRequest request) {
    return "POST".equals(request.getMethod())
        && PATH.equals(request.getRequestURI().substring(request.getContextPath().length()));
  }

  private void submit(HttpServletRequest request, HttpServletResponse response) throws IOException {
    try {
      SubmitResult result;
      try (RequestBodies.Body body = bodies.open(request, RequestBodies.SINGLE_TASK_BYTES)) {
        TaskRequest task = body.read(requests);
        if (task == null) {
          throw new InvalidTaskException("body", "must be a JSON object describing one task");
        }
        result = store.submit(task.toSpec("", handlers));
      }
      TaskView view = result.task();
      if (result.outcome() == SubmitOutcome.CREATED) {
        response.setHeader(HttpHeaders.LOCATION, PATH + "/" + view.id());
      }
      write(response, result.outcome() == SubmitOutcome.CREATED ? 201 : 200, MediaType.APPLICATION_JSON_VALUE,
          views.writeValueAsBytes(view));
    } catch (RuntimeException e) {
      ResponseEntity<ProblemDetail> problem = ProblemHandler.answer(e);
      if (problem == null) {
        throw e;
      }
      problem.getHeaders().forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
      write(response, problem.getStatusCode().value(), MediaType.APPLICATION_PROBLEM_JSON_VALUE,
          problems.writeValueAsBytes(asJson(problem.getBody(), request.getRequestURI())));
    }
  }

  /** One write with its length: no chunked encoding, no second flush. */
  private static void write(HttpServletResponse response, int status, String contentType, byte[] body) throws IOException {
    response.setStatus(status);
    response.setContentType(contentType);
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
  }

  /** RFC 9457 members that are set, then the extension members (field, reason), as Spring MVC writes them. */
  private static Map<String, Object> asJson(ProblemDetail problem, String path) {
    Map<String, Object> json = new LinkedHashMap<>();
    if (problem.getType() != null) {
      json.put("type", problem.getType().toString());
    }
    json.put("title", problem.getTitle());
    json.put("status", problem.getStatus());
    json.put("detail", problem.getDetail());
    json.put("instance", problem.getInstance() != null ? problem.getInstance().toString() : path);
    if (problem.getProperties() != null) {
      json.putAll(problem.getProperties());
    }
    return json;
  }
}
