package io.taskgrid.node.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;

/**
 * Times {@code POST /api/tasks} in {@code http.server.requests}, with the tags Spring's server
 * observation gives every other request (method, uri, status, outcome, exception, error), so that
 * dashboards see submissions as before. Spring's observation of a request cost about 5 % of the
 * nodes' CPU at 1,000 submissions/s (creating and stopping the observation, its tags, a long-task
 * timer per request: docs/performance.md); a timer looked up once per status costs a fraction of
 * that. {@link SubmitEndpointConfiguration} puts the endpoint ahead of the observation's filter.
 */
final class SubmissionTimer {
  private static final String NO_EXCEPTION = "none";

  private final MeterRegistry meters;
  // One timer per status (and exception, rarely any): a handful, looked up on every request.
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  SubmissionTimer(MeterRegistry meters) {
    this.meters = meters;
  }

  /** Records one submission that took from {@code startNanos} until now and answered {@code status}. */
  void record(long startNanos, int status, Throwable exception) {
    String thrown = exception == null ? NO_EXCEPTION : exception.getClass().getSimpleName();
    String key = exception == null ? Integer.toString(status) : status + " " + thrown;
    timers.computeIfAbsent(key, k -> timer(status, thrown)).record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
  }

  private Timer timer(int status, String exception) {
    return Timer.builder("http.server.requests")
        .tag("method", "POST")
        .tag("uri", SubmitEndpoint.PATH)
        .tag("status", Integer.toString(status))
        .tag("outcome", outcome(status))
        .tag("exception", exception)
        // Added to every observation's timer by Micrometer's meter handler: the error's class or none.
        .tag("error", exception)
        .register(meters);
  }

  /** The outcome tag as Spring's observation convention writes it. */
  private static String outcome(int status) {
    HttpStatus.Series series = HttpStatus.Series.resolve(status);
    if (series == null) {
      return "UNKNOWN";
    }
    return series == HttpStatus.Series.SUCCESSFUL ? "SUCCESS" : series.name();
  }
}
