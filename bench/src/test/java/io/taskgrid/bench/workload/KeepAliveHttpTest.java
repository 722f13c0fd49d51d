package io.taskgrid.bench.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link KeepAliveHttp} against a loopback server that closes connections the way a node can. */
class KeepAliveHttpTest {
  private final AtomicInteger accepted = new AtomicInteger();
  private ServerSocket server;
  private Thread serving;

  /**
   * Serves on loopback: on each connection it answers {@code answersPerConnection} requests with
   * 201, then closes it, as Jetty does to a connection idle past its timeout.
   */
  private URI serve(int answersPerConnection) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serving = new Thread(() -> {
      while (!server.isClosed()) {
        try (Socket connection = server.accept()) {
          accepted.incrementAndGet();
          BufferedReader in = new BufferedReader(new InputStreamReader(connection.getInputStream(), StandardCharsets.US_ASCII));
          for (int answered = 0; answered < answersPerConnection && readRequest(in); answered++) {
            connection.getOutputStream().write("HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\n{}"
                .getBytes(StandardCharsets.US_ASCII));
          }
        } catch (IOException e) {
          // closed by the test, or by the client
        }
      }
    }, "keep-alive-test-server");
    serving.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api/tasks");
  }

  /** Reads one request with its body; false at the end of the connection. */
  private static boolean readRequest(BufferedReader in) throws IOException {
    int length = 0;
    String line = in.readLine();
    if (line == null) {
      return false;
    }
    while (!(line = in.readLine()).isEmpty()) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    for (int i = 0; i < length; i++) {
      in.read();
    }
    return true;
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    serving.join(5_000);
  }

  @Test
  void keepsItsConnectionForTheNextRequest() throws Exception {
    try (KeepAliveHttp http = new KeepAliveHttp(serve(Integer.MAX_VALUE), 5_000)) {
      assertThat(http.post("{}")).isEqualTo(201);
      assertThat(http.post("{}")).isEqualTo(201);
      assertThat(http.post("{}")).isEqualTo(201);
    }
    assertThat(accepted).hasValue(1);
  }

  @Test
  void sendsAgainOnANewConnectionWhenTheNodeClosedTheKeptOne() throws Exception {
    try (KeepAliveHttp http = new KeepAliveHttp(serve(1), 5_000)) {
      assertThat(http.post("{}")).isEqualTo(201);
      // The server has closed the first connection after its one answer.
      assertThat(http.post("{}")).isEqualTo(201);
    }
    assertThat(accepted).hasValue(2);
  }

  @Test
  void doesNotSendAgainWhenANewConnectionFails() throws Exception {
    try (KeepAliveHttp http = new KeepAliveHttp(serve(0), 5_000)) {
      assertThatThrownBy(() -> http.post("{}")).isInstanceOf(IOException.class);
    }
    await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(accepted).hasValue(1));
  }
}
