package io.taskgrid.node.support;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Real HTTP calls to a node, answers parsed as JSON. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  public static final JsonMapper JSON = JsonMapper.builder().build();

  private final String baseUrl;

  public Http(String baseUrl) {
    this.baseUrl = baseUrl;
  }

  /** A status code, its headers and the body parsed as JSON (null when empty). */
  public record Response(int status, HttpResponse<String> raw, JsonNode body) {
    public String contentType() {
      return raw.headers().firstValue("content-type").orElse("");
    }
  }

  public Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
  }

  public Response delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE());
  }

  public Response post(String path, String json) {
    return post(path, "application/json", json);
  }

  public Response post(String path, String contentType, String body) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("content-type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** A JSON body sent in chunks, declaring no length, so that the node can only count it as it reads. */
  public Response postChunked(String path, String json) {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
  }

  /**
   * The status of a POST that declares a JSON body of {@code length} bytes and sends none of it:
   * an answer proves the node refused the body before reading it. (A client sending the body would
   * ask to continue first; the JDK 17 client hangs on an answer other than 100 to that.)
   */
  public int postDeclaringOnly(String path, long length) {
    return postDeclaringOnly(path, length, "");
  }

  /**
   * As {@link #postDeclaringOnly(String, long)}, asking first whether to send the body ({@code
   * Expect: 100-continue}, as curl does for large bodies): the status of the node's final answer.
   */
  public int postExpectingContinue(String path, long length) {
    return postDeclaringOnly(path, length, "Expect: 100-continue\r\n");
  }

  private int postDeclaringOnly(String path, long length, String extraHeaders) {
    URI uri = URI.create(baseUrl + path);
    try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head(uri, length, extraHeaders));
      return status(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A POST of a JSON body that declares its whole length but sends only its first {@code sent}
   * bytes, so that the node holds the request, reading, until {@link HeldPost#finish} sends the rest.
   */
  public HeldPost postHolding(String path, String json, int sent) {
    URI uri = URI.create(baseUrl + path);
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    try {
      Socket socket = new Socket(uri.getHost(), uri.getPort());
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head(uri, body.length, "Connection: close\r\n"));
      socket.getOutputStream().write(body, 0, sent);
      socket.getOutputStream().flush();
      return new HeldPost(socket, body, sent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request of {@link #postHolding} whose body is partly sent. */
  public static final class HeldPost {
    private final Socket socket;
    private final byte[] body;
    private final int sent;

    private HeldPost(Socket socket, byte[] body, int sent) {
      this.socket = socket;
      this.body = body;
      this.sent = sent;
    }

    /** Sends the rest of the body; the answer's status. */
    public int finish() {
      try (socket) {
        socket.getOutputStream().write(body, sent, body.length - sent);
        socket.getOutputStream().flush();
        return status(socket);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The head of a raw POST of a JSON body of {@code length} bytes, with {@code extraHeaders} (each ending in CRLF). */
  private static byte[] head(URI uri, long length, String extraHeaders) {
    return ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
        + "Content-Type: application/json\r\nContent-Length: " + length + "\r\n" + extraHeaders + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The status code of the answer read from {@code socket}. */
  private static int status(Socket socket) throws IOException {
    String statusLine = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
        .readLine();
    return Integer.parseInt(statusLine.split(" ")[1]);
  }

  public Response post(String path, Object body) {
    return post(path, JSON.writeValueAsString(body));
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response =
          CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = response.body().isEmpty() ? null : JSON.readTree(response.body());
      return new Response(response.statusCode(), response, body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
