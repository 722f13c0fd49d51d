package io.taskgrid.node.api;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.execution.HandlerRegistry;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import tools.jackson.databind.json.JsonMapper;

/** Puts {@link SubmitEndpoint} in front of Spring MVC, on its one path. */
@Configuration(proxyBeanMethods = false)
class SubmitEndpointConfiguration {

  @Bean
  FilterRegistrationBean<SubmitEndpoint> submitEndpoint(TaskStore store, HandlerRegistry handlers, JsonMapper json) {
    FilterRegistrationBean<SubmitEndpoint> registration =
        new FilterRegistrationBean<>(new SubmitEndpoint(store, handlers, json));
    registration.addUrlPatterns(SubmitEndpoint.PATH);
    // Right after the observation filter (HIGHEST_PRECEDENCE + 1), so that submissions are still
    // timed in http.server.requests; the request-wrapping filters after it have nothing to do here.
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
    return registration;
  }
}
