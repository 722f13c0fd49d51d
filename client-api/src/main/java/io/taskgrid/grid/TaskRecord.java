package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * One task as stored in the task map: its immutable spec and its mutable state. Only entry
 * processors on the partition owner change it, through the methods below, each checked against
 * {@link TaskStatus}'s transition table.
 *
 * <p>Two counters: {@code attempts} is what the user sees and what {@code maxAttempts} limits (a
 * graceful hand-back gives one back); {@code fence} only ever grows, one per claim, and together
 * with the claiming node's id it is the fencing token every report must carry.
 */
public final class TaskRecord implements IdentifiedDataSerializable {
  /** Deadline of a task without one: sorts after every real deadline. */
  public static final long NO_DEADLINE = Long.MAX_VALUE;
  // Above 2 × any fence a task can reach: every ended task ranks after every unfinished one.
  private static final long ENDED_PROGRESS = 1L << 62;

  private String id;
  private String type;
  private byte[] payload;
  private int payloadBytes;
  private int priority;
  private long deadline = NO_DEADLINE;
  private int maxAttempts;
  private long submittedAt;
  private long seq;

  private TaskStatus status;
  private int attempts;
  private long fence;
  private String node;
  private long leaseUntil;
  private long notBefore;
  private long startedAt;
  private long finishedAt;
  private String result;
  private String error;

  /** For deserialization only. */
  public TaskRecord() {}

  /** A new PENDING task from a validated spec. */
  public static TaskRecord pending(TaskSpec spec, long submittedAt, long seq) {
    TaskRecord r = new TaskRecord();
    r.id = spec.id();
    r.type = spec.type();
    r.payload = spec.payloadUtf8();
    r.payloadBytes = r.payload.length;
    r.priority = spec.priority();
    r.deadline = spec.deadline() == null ? NO_DEADLINE : spec.deadline().toEpochMilli();
    r.maxAttempts = spec.maxAttempts();
    r.submittedAt = submittedAt;
    r.seq = seq;
    r.status = TaskStatus.PENDING;
    return r;
  }

  /** Whether both were submitted with the same spec (id, type, payload, priority, deadline, attempts). */
  public boolean sameSpecAs(TaskRecord other) {
    return id.equals(other.id)
        && type.equals(other.type)
        && priority == other.priority
        && deadline == other.deadline
        && maxAttempts == other.maxAttempts
        && Arrays.equals(payload, other.payload);
  }

  /**
   * A 64-bit hash (FNV-1a) of what {@link #sameSpecAs} compares but the id: equal for the same spec,
   * and different, but for a chance of 2^-64, for another. For telling a batch's conflicts from
   * the stored tasks without sending their payloads and results back ({@link SpecFingerprints}).
   */
  public long specFingerprint() {
    long hash = 0xcbf29ce484222325L;
    hash = fnv(hash, type.getBytes(StandardCharsets.UTF_8));
    byte[] numbers = new byte[16];
    BigEndian.putInt(numbers, 0, priority);
    BigEndian.putInt(numbers, 4, maxAttempts);
    BigEndian.putLong(numbers, 8, deadline);
    hash = fnv(hash, numbers);
    return fnv(hash, payload);
  }

  private static long fnv(long hash, byte[] bytes) {
    for (byte b : bytes) {
      hash = (hash ^ (b & 0xff)) * 0x100000001b3L;
    }
    // The length too, so that fields cannot slide into one another.
    return (hash ^ bytes.length) * 0x100000001b3L;
  }

  /**
   * Whether this is {@code candidate} itself, still untouched: the same submission (time and
   * sequence) of the same spec, journaled or entered but not yet claimed.
   */
  public boolean isSameSubmissionAs(TaskRecord candidate) {
    return status == TaskStatus.PENDING
        && attempts == 0
        && submittedAt == candidate.submittedAt
        && seq == candidate.seq
        && sameSpecAs(candidate);
  }

  /** Whether a claim at {@code now} may take it: pending and past any retry backoff. */
  public boolean isClaimableAt(long now) {
    return status == TaskStatus.PENDING && notBefore <= now;
  }

  /** Whether {@code node}'s attempt {@code fence} is the one the task is running. */
  public boolean isRunningAttempt(long fence, String node) {
    return status == TaskStatus.RUNNING && this.fence == fence && Objects.equals(this.node, node);
  }

  /** PENDING → RUNNING on {@code node}: counts an attempt and issues a new fencing token. */
  public void startOn(String node, long now, long leaseUntil) {
    status.checkMoveTo(TaskStatus.RUNNING);
    status = TaskStatus.RUNNING;
    attempts++;
    fence++;
    this.node = node;
    this.startedAt = now;
    this.leaseUntil = leaseUntil;
    this.notBefore = 0;
  }

  public void renewLeaseUntil(long leaseUntil) {
    this.leaseUntil = Math.max(this.leaseUntil, leaseUntil);
  }

  /** RUNNING → COMPLETED. */
  public void completeWith(String result, long now) {
    moveTo(TaskStatus.COMPLETED);
    this.result = result;
    this.finishedAt = now;
  }

  /**
   * The running attempt failed: back to PENDING until {@code retryAt}, or FAILED when it was the
   * last attempt allowed.
   */
  public void failAttempt(String error, long now, long retryAt) {
    this.error = error;
    if (attempts >= maxAttempts) {
      failForGood(error, now);
    } else {
      moveTo(TaskStatus.PENDING);
      notBefore = retryAt;
    }
  }

  /** Ends the task as FAILED whatever attempts are left (e.g. no handler for its type). */
  public void failForGood(String error, long now) {
    moveTo(TaskStatus.FAILED);
    this.error = error;
    this.finishedAt = now;
  }

  /**
   * The running attempt was lost (its node left, or its lease ran out). The attempt counts, but it
   * is not the task's fault, so it may run again at once.
   */
  public void requeueLost(String reason, long now) {
    failAttempt(reason, now, 0);
  }

  /** A draining node gives the task back: PENDING again, and the attempt does not count. */
  public void handBack() {
    moveTo(TaskStatus.PENDING);
    attempts--;
    notBefore = 0;
  }

  /** PENDING or RUNNING → CANCELLED. */
  public void cancel(long now) {
    moveTo(TaskStatus.CANCELLED);
    finishedAt = now;
  }

  private void moveTo(TaskStatus next) {
    status.checkMoveTo(next);
    status = next;
  }

  /**
   * How far the task has come: grows with every change of status, along every path the transition
   * table allows, and stays put while only a lease is renewed. Unfinished, a task is RUNNING and
   * then PENDING again within each attempt (fence), and a claim starts the next; an ended task is
   * further along than any unfinished one, as the split-brain merge never replaces a terminal copy,
   * and of two ends the newer attempt's, then the higher-ranked end of the same attempt, is further.
   * A database row written from a record less far along than the row is stale: an older copy,
   * stored late by a member that no longer owns the task.
   */
  public long progress() {
    if (status.isTerminal()) {
      return ENDED_PROGRESS + 4 * fence + endRank(status);
    }
    return 2 * fence + (status == TaskStatus.PENDING ? 1 : 0);
  }

  /**
   * Orders two ends of the same attempt, which a split can give (one side cancels while the other
   * runs the attempt to its end): the database and the split-brain merge must keep the same one
   * whatever order the two sides write in. The attempt's own end wins over a cancel of it: its work
   * was done, and a cancel whose database write committed but answered an error (the connection
   * lost at the commit) leaves a CANCELLED row that memory never held, which the attempt's end must
   * replace. A result ranks over an error.
   */
  private static int endRank(TaskStatus ended) {
    return switch (ended) {
      case COMPLETED -> 2;
      case FAILED -> 1;
      default -> 0;
    };
  }

  /**
   * About how many bytes the task's view carries: the record's serialized size less its payload,
   * so mostly its result and error. Listings budget their pages by it.
   */
  public int viewBytes() {
    return FIXED_VIEW_BYTES + length(id) + length(type) + length(node) + length(result) + length(error);
  }

  /** {@link #viewBytes()} of the record serialized from {@code offset} to the end of {@code bytes}, read in place. */
  static int viewBytesAt(byte[] bytes, int offset) {
    int payload = skipLengthPrefixed(bytes, offset);
    payload = skipLengthPrefixed(bytes, payload);
    return bytes.length - offset - Math.max(0, BigEndian.getInt(bytes, payload));
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }

  /** A copy without the payload, for answers that cross the network. */
  public TaskRecord withoutPayload() {
    TaskRecord r = copy();
    r.payload = null;
    return r;
  }

  TaskRecord copy() {
    TaskRecord r = new TaskRecord();
    r.id = id;
    r.type = type;
    r.payload = payload;
    r.payloadBytes = payloadBytes;
    r.priority = priority;
    r.deadline = deadline;
    r.maxAttempts = maxAttempts;
    r.submittedAt = submittedAt;
    r.seq = seq;
    r.status = status;
    r.attempts = attempts;
    r.fence = fence;
    r.node = node;
    r.leaseUntil = leaseUntil;
    r.notBefore = notBefore;
    r.startedAt = startedAt;
    r.finishedAt = finishedAt;
    r.result = result;
    r.error = error;
    return r;
  }

  /** The user-facing snapshot. */
  public TaskView toView() {
    return new TaskView(
        id,
        type,
        priority,
        deadline == NO_DEADLINE ? null : Instant.ofEpochMilli(deadline),
        status,
        attempts,
        maxAttempts,
        node,
        Instant.ofEpochMilli(submittedAt),
        startedAt == 0 ? null : Instant.ofEpochMilli(startedAt),
        finishedAt == 0 ? null : Instant.ofEpochMilli(finishedAt),
        result,
        error,
        payloadBytes);
  }

  // Getters, also used by Hazelcast predicates by attribute name ("status", "id", ...).
  public String getId() {
    return id;
  }

  public String getType() {
    return type;
  }

  /** The payload in UTF-8, or null on a copy made by {@link #withoutPayload()}. */
  public byte[] getPayload() {
    return payload;
  }

  public int getPriority() {
    return priority;
  }

  public long getDeadline() {
    return deadline;
  }

  public int getMaxAttempts() {
    return maxAttempts;
  }

  public long getSeq() {
    return seq;
  }

  public TaskStatus getStatus() {
    return status;
  }

  public int getAttempts() {
    return attempts;
  }

  public long getFence() {
    return fence;
  }

  public String getNode() {
    return node;
  }

  public long getLeaseUntil() {
    return leaseUntil;
  }

  public long getNotBefore() {
    return notBefore;
  }

  /** When it reached a terminal status, in epoch milliseconds; 0 before. */
  public long getFinishedAt() {
    return finishedAt;
  }

  public String getResult() {
    return result;
  }

  public String getError() {
    return error;
  }

  @Override
  public int getFactoryId() {
    return TaskGridSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.TASK_RECORD;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    writeTo(out);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    readFrom(in);
  }

  /** Writes a list of records: its size, then each. */
  static void writeAll(ObjectDataOutput out, Collection<TaskRecord> records) throws IOException {
    out.writeInt(records.size());
    for (TaskRecord record : records) {
      record.writeData(out);
    }
  }

  /** Reads what {@link #writeAll} wrote. */
  static List<TaskRecord> readAll(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    List<TaskRecord> records = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      TaskRecord record = new TaskRecord();
      record.readData(in);
      records.add(record);
    }
    return records;
  }

  /** The record as bytes, in the same format as on the wire: what a MapStore keeps. */
  public byte[] toBytes() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128 + (payload == null ? 0 : payload.length));
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      writeTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The record {@link #toBytes()} wrote. */
  public static TaskRecord fromBytes(byte[] bytes) {
    TaskRecord r = new TaskRecord();
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      r.readFrom(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return r;
  }

  // One format for the wire and for storage, on plain java.io Data streams (Hazelcast's extend
  // them): id, type, payload, then the numbers from payloadBytes to fence (NUMBERS bytes), node,
  // then leaseUntil to finishedAt (TIMES bytes), result, error; texts and payload as an int length
  // (-1 for null) and the bytes. The numbers go in and out as blocks (BigEndian): same bytes as
  // writing them one by one, so stored rows read the same.
  private static final int NUMBERS = 4 + 4 + 8 + 4 + 8 + 8 + 1 + 4 + 8;
  private static final int TIMES = 4 * 8;
  // The serialized size of a record with empty texts and no payload: five texts' and the payload's
  // lengths, the numbers and the times.
  private static final int FIXED_VIEW_BYTES = 6 * 4 + NUMBERS + TIMES;
  // Offsets the in-place reads (statusAt, finishedAtAt) share with writeTo and readFrom.
  private static final int STATUS = 36;
  private static final int FINISHED_AT = 24;

  private void writeTo(DataOutput out) throws IOException {
    writeText(out, id);
    writeText(out, type);
    writeBytes(out, payload);
    byte[] numbers = new byte[NUMBERS];
    BigEndian.putInt(numbers, 0, payloadBytes);
    BigEndian.putInt(numbers, 4, priority);
    BigEndian.putLong(numbers, 8, deadline);
    BigEndian.putInt(numbers, 16, maxAttempts);
    BigEndian.putLong(numbers, 20, submittedAt);
    BigEndian.putLong(numbers, 28, seq);
    numbers[STATUS] = (byte) status.ordinal();
    BigEndian.putInt(numbers, 37, attempts);
    BigEndian.putLong(numbers, 41, fence);
    out.write(numbers);
    writeText(out, node);
    byte[] times = new byte[TIMES];
    BigEndian.putLong(times, 0, leaseUntil);
    BigEndian.putLong(times, 8, notBefore);
    BigEndian.putLong(times, 16, startedAt);
    BigEndian.putLong(times, FINISHED_AT, finishedAt);
    out.write(times);
    writeText(out, result);
    writeText(out, error);
  }

  private void readFrom(DataInput in) throws IOException {
    id = readText(in);
    type = readText(in);
    payload = readBytes(in);
    byte[] numbers = new byte[NUMBERS];
    in.readFully(numbers);
    payloadBytes = BigEndian.getInt(numbers, 0);
    priority = BigEndian.getInt(numbers, 4);
    deadline = BigEndian.getLong(numbers, 8);
    maxAttempts = BigEndian.getInt(numbers, 16);
    submittedAt = BigEndian.getLong(numbers, 20);
    seq = BigEndian.getLong(numbers, 28);
    status = TaskStatus.ofOrdinal(numbers[STATUS]);
    attempts = BigEndian.getInt(numbers, 37);
    fence = BigEndian.getLong(numbers, 41);
    node = readText(in);
    byte[] times = new byte[TIMES];
    in.readFully(times);
    leaseUntil = BigEndian.getLong(times, 0);
    notBefore = BigEndian.getLong(times, 8);
    startedAt = BigEndian.getLong(times, 16);
    finishedAt = BigEndian.getLong(times, FINISHED_AT);
    result = readText(in);
    error = readText(in);
  }

  /**
   * The status of the record serialized by {@link #writeTo} at {@code offset} of {@code bytes},
   * read in place: a scan over every resident task looks at nothing else, and deserializing each
   * record (five strings and the payload) made those scans cost in proportion to everything resident.
   */
  static TaskStatus statusAt(byte[] bytes, int offset) {
    return TaskStatus.ofOrdinal(bytes[numbersAt(bytes, offset) + STATUS]);
  }

  /** {@link #getFinishedAt} of the record serialized at {@code offset}, read in place as {@link #statusAt}. */
  static long finishedAtAt(byte[] bytes, int offset) {
    int node = numbersAt(bytes, offset) + NUMBERS;
    return BigEndian.getLong(bytes, skipLengthPrefixed(bytes, node) + FINISHED_AT);
  }

  /** Where the numbers start: after id, type and payload, each an int length (-1 for null) and its bytes. */
  private static int numbersAt(byte[] bytes, int offset) {
    return skipLengthPrefixed(bytes, skipLengthPrefixed(bytes, skipLengthPrefixed(bytes, offset)));
  }

  private static int skipLengthPrefixed(byte[] bytes, int at) {
    return at + 4 + Math.max(0, BigEndian.getInt(bytes, at));
  }

  private static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
    out.writeInt(bytes == null ? -1 : bytes.length);
    if (bytes != null) {
      out.write(bytes);
    }
  }

  private static byte[] readBytes(DataInput in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = new byte[length];
    in.readFully(bytes);
    return bytes;
  }

  private static void writeText(DataOutput out, String text) throws IOException {
    writeBytes(out, text == null ? null : text.getBytes(StandardCharsets.UTF_8));
  }

  private static String readText(DataInput in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "TaskRecord{" + id + " " + status + " attempts=" + attempts + "/" + maxAttempts + " fence=" + fence
        + " node=" + node + "}";
  }
}
