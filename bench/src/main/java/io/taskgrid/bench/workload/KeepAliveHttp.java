package io.taskgrid.bench.workload;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * One keep-alive HTTP/1.1 connection that POSTs JSON and reads each answer to its end, used by
 * one thread. The load generator shares the 2 CPUs with the nodes it measures: the JDK's
 * HttpURLConnection cost it about 0.45 ms of CPU per request, a third of what the whole cluster
 * spends on a submission; this costs a small fraction of that (like wrk). It understands what a
 * node answers: a Content-Length or a chunked body, and {@code Connection: close}.
 */
final class KeepAliveHttp implements Closeable {
  private final String host;
  private final int port;
  private final String path;
  private final int timeoutMs;
  private Socket socket;
  private InputStream in;
  private OutputStream out;

  KeepAliveHttp(URI url, int timeoutMs) {
    this.host = url.getHost();
    this.port = url.getPort();
    this.path = url.getRawPath();
    this.timeoutMs = timeoutMs;
  }

  /**
   * POSTs {@code json}; answers the status code. Any I/O error closes the connection (the next call
   * opens one). A kept connection that the node closed meanwhile (Jetty's idle timeout, between two
   * rates) is found closed or reset on use: then the request goes once more on a new connection, as
   * HTTP clients do. A submission is idempotent by its id, so a second send cannot make two tasks.
   */
  int post(String json) throws IOException {
    boolean kept = socket != null;
    try {
      return send(json);
    } catch (EOFException | SocketException e) {
      if (!kept) {
        throw e;
      }
      return send(json);
    }
  }

  private int send(String json) throws IOException {
    try {
      if (socket == null) {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(host, port), timeoutMs);
        socket.setSoTimeout(timeoutMs);
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        out = socket.getOutputStream();
      }
      byte[] body = json.getBytes(StandardCharsets.UTF_8);
      String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + ":" + port
          + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      byte[] request = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, request, 0, headBytes.length);
      System.arraycopy(body, 0, request, headBytes.length, body.length);
      out.write(request);
      return readAnswer();
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  private int readAnswer() throws IOException {
    String statusLine = line();
    int status = Integer.parseInt(statusLine.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean closeAfter = false;
    for (String header = line(); !header.isEmpty(); header = line()) {
      String lower = header.toLowerCase(Locale.ROOT);
      if (lower.startsWith("content-length:")) {
        length = Long.parseLong(lower.substring(15).trim());
      } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
        chunked = true;
      } else if (lower.startsWith("connection:") && lower.contains("close")) {
        closeAfter = true;
      }
    }
    if (chunked) {
      for (long size = Long.parseLong(line().split(";")[0].trim(), 16); size > 0;
          size = Long.parseLong(line().split(";")[0].trim(), 16)) {
        skip(size);
        line();
      }
      while (!line().isEmpty()) {
        // trailers
      }
    } else if (length >= 0) {
      skip(length);
    } else {
      closeAfter = true; // the body ends with the connection
    }
    if (closeAfter) {
      close();
    }
    return status;
  }

  private String line() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    int b;
    while ((b = in.read()) != '\n') {
      if (b < 0) {
        throw new EOFException("connection closed mid-answer");
      }
      if (b != '\r') {
        bytes.write(b);
      }
    }
    return bytes.toString(StandardCharsets.US_ASCII);
  }

  private void skip(long n) throws IOException {
    long left = n;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("connection closed mid-answer");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    socket = null;
    in = null;
    out = null;
  }
}
