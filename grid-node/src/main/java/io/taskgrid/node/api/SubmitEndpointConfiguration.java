package io.taskgrid.node.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationPredicate;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.HandlerRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import tools.jackson.databind.json.JsonMapper;

/** Puts {@link SubmitEndpoint} in front of Spring MVC, on its one path. */
@Configuration(proxyBeanMethods = false)
class SubmitEndpointConfiguration {

  @Bean
  FilterRegistrationBean<SubmitEndpoint> submitEndpoint(TaskStore store, HandlerRegistry handlers, JsonMapper json,
      MeterRegistry meters) {
    FilterRegistrationBean<SubmitEndpoint> registration =
        new FilterRegistrationBean<>(new SubmitEndpoint(store, handlers, json, new SubmissionTimer(meters)));
    registration.addUrlPatterns(SubmitEndpoint.PATH);
    // Right after the observation filter (HIGHEST_PRECEDENCE + 1); the request-wrapping filters
    // after it have nothing to do here.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }

  /**
   * Leaves submissions out of Spring's server observation: {@link SubmitEndpoint} times them in
   * {@code http.server.requests} itself, for a fraction of the CPU ({@link SubmissionTimer}).
   */
  @Bean
  ObservationPredicate submissionsTimedByTheirEndpoint() {
    return (name, context) -> !(context instanceof ServerRequestObservationContext request
        && SubmitEndpoint.serves(request.getCarrier()));
  }
}
