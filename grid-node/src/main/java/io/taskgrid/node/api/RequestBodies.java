package io.taskgrid.node.api;

import jakarta.servlet.http.HttpServletRequest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectReader;

/**
 * Reads task requests' JSON bodies within two bounds. Each body is refused before it is read whole
 * when it is larger than its endpoint allows: without that, one batch of large payloads (600 tasks
 * of 1 MiB) filled a node's heap while Jackson built it. And the bodies the node handles at once
 * share a budget ({@code taskgrid.http.body-budget}, a sixteenth of the heap by default): a request
 * that would take it past the budget while others hold some of it is refused with 503 and
 * Retry-After, before it changes anything. Without the budget, six batches of 31 tasks of 1 MiB sent
 * at once ran a node of 512 MiB out of memory; its Hazelcast member shut down and it answered 503
 * to everything from then on. With an eighth of the heap, two of them at once still did: a body is
 * held several times over while it is parsed, journaled and entered (session 34). A request alone
 * is never refused by the budget, so the largest body an endpoint allows gets through on an idle node.
 */
final class RequestBodies {
  /** A single task: a 1 MiB payload written with JSON escapes (up to six bytes a byte) and its fields. */
  static final long SINGLE_TASK_BYTES = 8L << 20;
  /** A batch: twice its payloads' limit ({@code TaskStore.MAX_BATCH_PAYLOAD_BYTES}), for escapes and other fields. */
  static final long BATCH_BYTES = 64L << 20;
  /** A body of unknown length (chunked) is charged as it is read, this much at a time. */
  private static final long CHARGE_STEP = 64 << 10;

  private final long budget;
  /** Bytes charged by the bodies in progress: every request thread changes it, hence atomic. */
  private final AtomicLong charged = new AtomicLong();

  RequestBodies(long budget) {
    if (budget < 1) {
      throw new IllegalArgumentException("taskgrid.http.body-budget must be at least 1 byte, was " + budget);
    }
    this.budget = budget;
  }

  /** Bytes of request bodies being handled now. */
  long charged() {
    return charged.get();
  }

  /**
   * The body of {@code request}, charged to the budget until the returned {@link Body} is closed:
   * close it once the request's work is done, since what was read from it is live until then.
   *
   * @throws UnsupportedBody when the body is not JSON
   * @throws TooLarge when it declares more than {@code limit} bytes
   * @throws Busy when its declared length does not fit in what other requests leave of the budget
   */
  Body open(HttpServletRequest request, long limit) {
    requireJson(request.getContentType());
    long declared = request.getContentLengthLong();
    if (declared > limit) {
      throw new TooLarge(limit);
    }
    Body body = new Body(request, limit);
    try {
      body.charge(Math.max(declared, 0));
    } catch (Busy busy) {
      discard(request, limit);
      throw busy;
    }
    return body;
  }

  /**
   * Reads what is left of a refused body to its end, or for at most its endpoint's limit more,
   * through a small buffer, holding none of it. Answered with the body unread, the connection was
   * closed under the client while it was still sending, and the JDK's HttpClient lost the 503
   * ("header parser received no bytes").
   * Not when the client waits to be told to send it ({@code Expect: 100-continue}, as curl does for
   * large bodies): the answer then tells it not to, and the body never comes.
   */
  private static void discard(HttpServletRequest request, long limit) {
    if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
      return;
    }
    byte[] buffer = new byte[8192];
    try {
      InputStream body = request.getInputStream();
      for (long left = limit; left > 0; ) {
        int n = body.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
          return;
        }
        left -= n;
      }
    } catch (IOException e) {
      // The client went away: nobody is left to answer.
    }
  }

  /** One request's body and its charge to the budget. */
  final class Body implements AutoCloseable {
    private final HttpServletRequest request;
    private final long limit;
    /** Only the request's own thread reads and charges. */
    private long held;

    private Body(HttpServletRequest request, long limit) {
      this.request = request;
      this.limit = limit;
    }

    /**
     * The body as {@code reader}'s type.
     *
     * @throws TooLarge when it has more than the limit
     * @throws Busy when a body of unknown length outgrows what other requests leave of the budget
     */
    <T> T read(ObjectReader reader) throws IOException {
      // A body sent in chunks declares no length: it is counted, and charged, as it is read.
      try {
        return reader.readValue(new Bounded(request.getInputStream(), limit, this));
      } catch (RuntimeException e) {
        // Refused part-way, the rest of the body is still coming: read it away (up to another
        // limit's worth) so that the answer reaches the client. A chunked batch of 65 MiB lost its
        // 413 this way in CI, closed under the JDK's HttpClient mid-answer.
        if (causeOf(e, Busy.class) != null || causeOf(e, TooLarge.class) != null) {
          discard(request, limit);
        }
        throw e;
      }
    }

    /** Charges {@code bytes} more, unless others already hold some of the budget and it would pass it. */
    private void charge(long bytes) {
      while (true) {
        long now = charged.get();
        if (now > held && now + bytes > budget) {
          throw new Busy(budget, now - held);
        }
        if (charged.compareAndSet(now, now + bytes)) {
          held += bytes;
          return;
        }
      }
    }

    /** Charges up to {@code total} bytes read in all, a step at a time. */
    private void chargeUpTo(long total) {
      if (total > held) {
        charge(Math.max(total - held, CHARGE_STEP));
      }
    }

    @Override
    public void close() {
      charged.addAndGet(-held);
      held = 0;
    }
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

  /**
   * The {@code type} that {@code e} is or was caused by, or null: Jackson wraps what a body's
   * stream throws when a field's value is being read.
   */
  static <E extends RuntimeException> E causeOf(Throwable e, Class<E> type) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  /** A body that does not fit in what other requests leave of the node's budget: 503 (see {@link ProblemHandler#answer}). */
  static final class Busy extends RuntimeException {
    Busy(long budget, long others) {
      super("does not fit: this node is handling " + others + " bytes of other requests' bodies, and this one "
          + "would take it past its budget of " + budget + " bytes (taskgrid.http.body-budget); retry shortly");
    }
  }

  /** A body over its endpoint's limit: 413 (see {@link ProblemHandler#answer}). */
  static final class TooLarge extends RuntimeException {
    TooLarge(long limit) {
      super("is larger than this endpoint's limit of " + limit + " bytes");
    }
  }

  /**
   * Throws {@link TooLarge} once more than the limit has been read (Jackson may wrap it, with the
   * field it was reading: {@link TooLarge#in} finds it).
   */
  private static final class Bounded extends FilterInputStream {
    private final long limit;
    private final Body charges;
    private long read;

    Bounded(InputStream body, long limit, Body charges) {
      super(body);
      this.limit = limit;
      this.charges = charges;
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
      charges.chargeUpTo(read);
    }
  }
}
