package io.taskgrid.node.api;

import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.hazelcast.NodeIdentity;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Puts this node's REST URL on the load board once the web server knows its port: {@code
 * taskgrid.http-url} if set, else the member's host with the server port.
 */
@Component
class HttpUrlAnnouncer {
  private final LoadBoard board;
  private final NodeIdentity identity;
  private final TaskGridProperties properties;

  HttpUrlAnnouncer(LoadBoard board, NodeIdentity identity, TaskGridProperties properties) {
    this.board = board;
    this.identity = identity;
    this.properties = properties;
  }

  @EventListener
  void announce(WebServerInitializedEvent event) {
    String url = properties.httpUrl() != null
        ? properties.httpUrl()
        : "http://" + identity.member().getAddress().getHost() + ":" + event.getWebServer().getPort();
    board.setHttpUrl(url);
  }
}
