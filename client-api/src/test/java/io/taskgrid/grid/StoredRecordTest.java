package io.taskgrid.grid;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.internal.serialization.Data;
import com.hazelcast.internal.serialization.InternalSerializationService;
import com.hazelcast.map.IMap;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.impl.CachedQueryEntry;
import com.hazelcast.query.impl.getters.Extractors;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Status and finish time are read from the bytes the members store, and the scans, counts and
 * filters built on them answer what deserializing every record would.
 */
class StoredRecordTest {
  private static final String MAP = "stored-record";
  /** What the scan below saw: whether each entry had stored bytes this class can read. */
  private static final ConcurrentLinkedQueue<Boolean> READABLE = new ConcurrentLinkedQueue<>();

  private static TwoMembers members;
  private static IMap<String, TaskRecord> tasks;
  private static Map<String, TaskRecord> records;

  @BeforeAll
  static void fillTheMap() {
    members = new TwoMembers(MAP, 5931);
    tasks = members.first.getMap(MAP);
    records = new LinkedHashMap<>();
    add(pending("plain", "p"));
    add(pending("no-payload", null));
    add(pending("unicode", "ünïcødé ✓ ペイロード"));
    add(pending("large", "x".repeat(200_000)));
    add(started("running", "node-a"));
    TaskRecord completed = started("completed", "node-a");
    completed.completeWith("the result", 5_000);
    add(completed);
    TaskRecord completedLater = started("completed-later", "node-b");
    completedLater.completeWith(null, 9_000);
    add(completedLater);
    TaskRecord failed = started("failed", "node-b");
    failed.failForGood("boom", 6_000);
    add(failed);
    TaskRecord cancelled = pending("cancelled", "p");
    cancelled.cancel(7_000);
    add(cancelled);
  }

  private static TaskRecord pending(String id, String payload) {
    return TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload(payload).build(), 1_000, 1);
  }

  private static TaskRecord started(String id, String node) {
    TaskRecord task = pending(id, "p");
    task.startOn(node, 2_000, 60_000);
    return task;
  }

  private static void add(TaskRecord task) {
    records.put(task.getId(), task);
    tasks.set(task.getId(), task);
  }

  @AfterAll
  static void stop() {
    members.close();
  }

  @Test
  void aMembersSerializedRecordIsReadInPlace() {
    var serialization = ((SerializationServiceSupport) members.first).getSerializationService();
    for (TaskRecord task : records.values()) {
      Data data = serialization.toData(task);
      byte[] bytes = data.toByteArray();
      assertThat(StoredRecord.isTaskRecord(bytes)).as(task.getId()).isTrue();
      assertThat(TaskRecord.statusAt(bytes, StoredRecord.BODY)).as(task.getId()).isEqualTo(task.getStatus());
      assertThat(TaskRecord.finishedAtAt(bytes, StoredRecord.BODY)).as(task.getId()).isEqualTo(task.getFinishedAt());
    }
    // The database's rows are the same format without Hazelcast's header.
    TaskRecord failed = records.get("failed");
    assertThat(TaskRecord.statusAt(failed.toBytes(), 0)).isEqualTo(TaskStatus.FAILED);
    assertThat(TaskRecord.finishedAtAt(failed.toBytes(), 0)).isEqualTo(6_000);
    assertThat(StoredRecord.isTaskRecord(serialization.toData(new StatusIn(TaskStatus.PENDING)).toByteArray())).isFalse();
  }

  @Test
  void aScanSeesEveryEntryAsStoredBytes() {
    READABLE.clear();
    Predicate<String, TaskRecord> probe = entry -> READABLE.add(StoredRecord.of(entry) != null);
    assertThat(tasks.keySet(probe)).hasSize(records.size());
    assertThat(READABLE).hasSize(records.size()).containsOnly(true);
  }

  @Test
  void filtersAndCountsAnswerAsTheRecordsSay() {
    assertThat(tasks.keySet(new StatusIn(TaskStatus.PENDING, TaskStatus.RUNNING)))
        .isEqualTo(idsWhere(t -> t.getStatus() == TaskStatus.PENDING || t.getStatus() == TaskStatus.RUNNING));
    assertThat(tasks.keySet(new StatusIn(TaskStatus.CANCELLED))).containsExactly("cancelled");
    assertThat(tasks.keySet(new FinishedBefore(7_000))).containsExactlyInAnyOrder("completed", "failed");
    assertThat(tasks.keySet(new FinishedBefore(9_001)))
        .containsExactlyInAnyOrder("completed", "completed-later", "failed", "cancelled");

    Map<TaskStatus, Long> expected = new EnumMap<>(TaskStatus.class);
    for (TaskStatus status : TaskStatus.values()) {
      expected.put(status, records.values().stream().filter(t -> t.getStatus() == status).count());
    }
    assertThat(tasks.aggregate(new StatusCounter())).isEqualTo(expected);
  }

  @Test
  void anEntryWithoutStoredBytesIsReadFromItsValue() {
    TaskRecord completed = records.get("completed");
    Map.Entry<String, TaskRecord> local = Map.entry(completed.getId(), completed);
    assertThat(StoredRecord.of(local)).isNull();
    assertThat(StoredRecord.status(local)).isEqualTo(TaskStatus.COMPLETED);
    assertThat(StoredRecord.finishedBefore(local, 5_001)).isTrue();
    assertThat(StoredRecord.finishedBefore(local, 5_000)).isFalse();
  }

  @Test
  void anEventEntryHoldingTheRecordAsAnObjectIsNotSerializedToBeRead() {
    var serialization = (InternalSerializationService) ((SerializationServiceSupport) members.first).getSerializationService();
    TaskRecord cancelled = records.get("cancelled");
    // As a map event's filter gets it when the processor left the new value as an object.
    CachedQueryEntry<String, TaskRecord> event = new CachedQueryEntry<>(serialization,
        serialization.toData(cancelled.getId()), cancelled, Extractors.newBuilder(serialization).build());
    assertThat(StoredRecord.of(event)).isNull();
    assertThat(StoredRecord.status(event)).isEqualTo(TaskStatus.CANCELLED);
    assertThat(StoredRecord.finishedBefore(event, 7_001)).isTrue();
    assertThat(event.getValueDataIfPresent()).as("serialized on the way").isNull();
    // The same entry holding bytes is read from them.
    CachedQueryEntry<String, TaskRecord> stored = new CachedQueryEntry<>(serialization,
        serialization.toData(cancelled.getId()), serialization.toData(cancelled), Extractors.newBuilder(serialization).build());
    assertThat(StoredRecord.of(stored)).isNotNull();
    assertThat(StoredRecord.status(stored)).isEqualTo(TaskStatus.CANCELLED);
  }

  private static Set<String> idsWhere(java.util.function.Predicate<TaskRecord> condition) {
    return records.values().stream().filter(condition).map(TaskRecord::getId).collect(Collectors.toCollection(HashSet::new));
  }
}
