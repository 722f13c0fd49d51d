package io.taskgrid.node.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectReader;

/**
 * Reads a task request's JSON body, refusing it before it is read whole when it is larger than
 * its endpoint allows: without a bound, one batch of large payloads (600 tasks of 1 MiB) filled a
 * node's heap while Jackson built it, and the node ran out of memory.
 */
final class RequestBodies {
  /** A single task: a 1 MiB payload written with JSON escapes (up to six bytes a byte) and its fields. */
  static final long SINGLE_TASK_BYTES = 8L << 20;
  /** A batch: twice its payloads' limit ({@code TaskStore.MAX_BATCH_PAYLOAD_BYTES}), for escapes and other fields. */
  static final long BATCH_BYTES = 64L << 20;

  private RequestBodies() {}

  /**
   * The body as {@code reader}'s type.
   *
   * @throws UnsupportedBody when the body is not JSON
   * @throws TooLarge when it has, or declares, more than {@code limit} bytes
   */
  static <T> T read(HttpServletRequest request, ObjectReader reader, long limit) throws IOException {
    requireJson(request.getContentType());
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw new TooLarge(limit);
    }
    // A body sent in chunks declares no length: it is counted as it is read.
    return reader.readValue(new Bounded(request.getInputStream(), limit));
  }

  private static void requireJson(String contentType) {
    MediaType type;
    try {
      type = contentType == null ? null : MediaType.parseMediaType(contentType);
    } catch (IllegalArgumentException e) {
      type = null;
    }
    if (type == null || !MediaType.APPLICATION_JSON.isCompatibleWith(type)) {
      throw new UnsupportedBody(contentType);
    }
  }

  /** A body that is not JSON: 415 (see {@link ProblemHandler#answer}). */
  static final class UnsupportedBody extends RuntimeException {
    UnsupportedBody(String contentType) {
      super("is '" + contentType + "'; send application/json");
    }
  }

  /** A body over its endpoint's limit: 413 (see {@link ProblemHandler#answer}). */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("is larger than this endpoint's limit of " + limit + " bytes");
    }

    /** The one {@code e} is or was caused by, or null: Jackson wraps it when a field's value is being read. */
    static TooLarge in(Throwable e) {
      for (Throwable cause = e; cause != null; cause = cause.getCause()) {
        if (cause instanceof TooLarge tooLarge) {
          return tooLarge;
        }
      }
      return null;
    }
  }

  /**
   * Throws {@link TooLarge} once more than the limit has been read (Jackson may wrap it, with the
   * field it was reading: {@link TooLarge#in} finds it).
   */
  private static final class Bounded extends FilterInputStream {
    private final long limit;
    private long read;

    Bounded(InputStream body, long limit) {
      super(body);
      this.limit = limit;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      count(b < 0 ? 0 : 1);
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      count(Math.max(n, 0));
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = super.skip(n);
      count(skipped);
      return skipped;
    }

    private void count(long bytes) {
      read += bytes;
      if (read > limit) {
        throw new TooLarge(limit);
      }
    }
  }
}
