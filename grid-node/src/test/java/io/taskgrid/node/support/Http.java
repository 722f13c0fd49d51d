package io.taskgrid.node.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
