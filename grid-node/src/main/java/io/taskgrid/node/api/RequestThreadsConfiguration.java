package io.taskgrid.node.api;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.tomcat.TomcatProtocolHandlerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves HTTP requests on a {@link LifoThreadPool} instead of Tomcat's own pool, with as many
 * threads at most as {@code server.tomcat.threads.max} (200 by default), each ending after 60 s
 * idle, as Tomcat's do. Its size is published as {@code taskgrid.http.threads} (tagged busy or
 * idle), since Tomcat's thread metrics know only its own pool.
 */
@Configuration(proxyBeanMethods = false)
class RequestThreadsConfiguration {

  @Bean(destroyMethod = "close")
  LifoThreadPool requestThreads(@Value("${server.tomcat.threads.max:200}") int maxThreads, MeterRegistry meters) {
    LifoThreadPool pool = new LifoThreadPool("http-request-", maxThreads, 60, TimeUnit.SECONDS);
    Gauge.builder("taskgrid.http.threads", pool, p -> p.threads() - p.idle())
        .description("threads serving HTTP requests").tag("state", "busy").register(meters);
    Gauge.builder("taskgrid.http.threads", pool, LifoThreadPool::idle)
        .description("threads serving HTTP requests").tag("state", "idle").register(meters);
    return pool;
  }

  @Bean
  TomcatProtocolHandlerCustomizer<?> requestThreadsForTomcat(LifoThreadPool requestThreads) {
    return handler -> handler.setExecutor(requestThreads);
  }
}
