package io.taskgrid.node.support;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
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
  /** The chunk size of {@link #postChunkedHolding}. */
  private static final int CHUNK = 64 << 10;
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
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return hold(path, body.length, "", body, sent);
  }

  /**
   * As {@link #postHolding}, the body sent in chunks of 64 KiB and declaring no length: sends the
   * chunks that hold its first {@code sent} bytes.
   */
  public HeldPost postChunkedHolding(String path, String json, int sent) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream chunks = new ByteArrayOutputStream(body.length + body.length / 1000 + 16);
    int held = -1;
    for (int offset = 0; offset < body.length; offset += CHUNK) {
      int length = Math.min(CHUNK, body.length - offset);
      chunks.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      chunks.write(body, offset, length);
      chunks.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
      if (held < 0 && offset + length >= sent) {
        held = chunks.size();
      }
    }
    chunks.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return hold(path, -1, "Transfer-Encoding: chunked\r\n", chunks.toByteArray(), held);
  }

  private HeldPost hold(String path, long length, String extraHeaders, byte[] wire, int sent) {
    URI uri = URI.create(baseUrl + path);
    try {
      Socket socket = new Socket(uri.getHost(), uri.getPort());
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head(uri, length, extraHeaders + "Connection: close\r\n"));
      socket.getOutputStream().write(wire, 0, sent);
      socket.getOutputStream().flush();
      return new HeldPost(socket, wire, sent);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A request of {@link #postHolding} whose body is partly sent. */
  public static final class HeldPost {
    private final Socket socket;
    private final byte[] wire;
    private final int sent;

    private HeldPost(Socket socket, byte[] wire, int sent) {
      this.socket = socket;
      this.wire = wire;
      this.sent = sent;
    }

    /** Whether the node has begun to answer before the body was sent whole. */
    public boolean answered() {
      try {
        return socket.getInputStream().available() > 0;
      } catch (IOException e) {
        return true;
      }
    }

    /** Sends the rest of the body; the answer's status. */
    public int finish() {
      return Integer.parseInt(finishReading().split(" ", 3)[1]);
    }

    /** Sends the rest of the body; the whole answer as it came over the wire (the node closes after it). */
    public String finishReading() {
      try (socket) {
        socket.getOutputStream().write(wire, sent, wire.length - sent);
        socket.getOutputStream().flush();
        return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /**
   * The head of a raw POST of a JSON body of {@code length} bytes (no length when negative), with
   * {@code extraHeaders} (each ending in CRLF).
   */
  private static byte[] head(URI uri, long length, String extraHeaders) {
    String declared = length < 0 ? "" : "Content-Length: " + length + "\r\n";
    return ("POST " + uri.getPath() + " HTTP/1.1\r\nHost: " + uri.getHost() + "\r\n"
        + "Content-Type: application/json\r\n" + declared + extraHeaders + "\r\n")
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
