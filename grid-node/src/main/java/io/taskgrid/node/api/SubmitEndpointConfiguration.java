package io.taskgrid.node.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.execution.HandlerRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts {@link SubmitEndpoint} in front of Spring MVC, on its one path, with the node's {@link RequestBodies}. */
@Configuration(proxyBeanMethods = false)
class SubmitEndpointConfiguration {

  /** The node's one reader of submission bodies, and their budget; its use is gauged. */
  @Bean
  RequestBodies requestBodies(TaskGridProperties properties, MeterRegistry meters) {
    RequestBodies bodies = new RequestBodies(properties.http().bodyBudgetBytes());
    Gauge.builder("taskgrid.http.bodies", bodies, RequestBodies::charged).baseUnit("bytes")
        .description("bytes of submission bodies the node is handling now, within taskgrid.http.body-budget")
        .register(meters);
    return bodies;
  }

  @Bean
  FilterRegistrationBean<SubmitEndpoint> submitEndpoint(TaskStore store, HandlerRegistry handlers,
      RequestBodies bodies, JsonMapper json, MeterRegistry meters) {
    FilterRegistrationBean<SubmitEndpoint> registration =
        new FilterRegistrationBean<>(new SubmitEndpoint(store, handlers, bodies, json, new SubmissionTimer(meters)));
    registration.addUrlPatterns(SubmitEndpoint.PATH);
    // First in the chain: a submission never reaches Spring's server observation filter, which
    // even as a no-op observation cost 1.5 % of the nodes' CPU at 1,000 submissions/s
    // (docs/performance.md), nor the character-encoding and request-wrapping filters, which have
    // nothing to do for a JSON body read as bytes. The endpoint times it itself (SubmissionTimer).
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    return registration;
  }
}
