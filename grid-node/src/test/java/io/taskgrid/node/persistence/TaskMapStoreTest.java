package io.taskgrid.node.persistence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.instance.impl.HazelcastInstanceProxy;
import com.hazelcast.map.IMap;
import com.hazelcast.map.impl.MapService;
import com.hazelcast.map.impl.MapServiceContext;
import com.hazelcast.map.impl.mapstore.writebehind.WriteBehindStore;
import com.hazelcast.map.impl.recordstore.RecordStore;
import com.hazelcast.spi.impl.NodeEngine;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.taskgrid.grid.TaskRecord;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.support.TaskDatabase;
import io.taskgrid.node.support.TestCluster;
import io.taskgrid.node.support.TestNode;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The store's loads answer what the database holds, also for the rows the journal has just
 * written and keeps at hand for the submit processors: never a candidate that was not inserted,
 * never a copy older than the row.
 */
class TaskMapStoreTest {
  static List<TaskDatabase> databases() {
    return TaskDatabase.available();
  }

  private static TaskRecord pending(String id, String payload) {
    return TaskRecord.pending(TaskSpec.builder().id(id).type("echo").payload(payload).build(), 1_000, 1);
  }

  private static void runToCompletion(TaskRecord task, String result) {
    task.startOn("node-1", 2_000, 60_000);
    task.completeWith(result, 3_000);
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aJournaledTaskLoadsAsWrittenWhileAnIdAlreadyStoredKeepsItsRow(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      TaskRecord old = pending("store-test-old", "first");
      runToCompletion(old, "done long ago");
      store.storeAll(Map.of(old.getId(), old));

      TaskRecord again = pending("store-test-old", "second");
      TaskRecord fresh = pending("store-test-new", "new");
      assertThat(store.recordIfAbsent(List.of(again, fresh))).containsExactly(fresh.getId());

      Map<String, TaskRecord> loaded = store.loadAll(List.of(again.getId(), fresh.getId()));
      assertThat(loaded.get(again.getId()).getStatus()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(loaded.get(again.getId()).getResult()).isEqualTo("done long ago");
      assertThat(loaded.get(fresh.getId()).isSameSubmissionAs(fresh)).isTrue();
      assertThat(database.records().get(again.getId()).getResult()).isEqualTo("done long ago");
    }
  }

  /**
   * A member that hands a partition over (graceful leave, migration) may store its queued copy of a
   * task after the new owner has stored the task's end: the older copy must not take the row back.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aLateWriteOfAnOlderCopyNeverTakesARowBack(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      TaskRecord task = pending("store-test-late", "p");
      task.startOn("node-1", 2_000, 60_000);
      TaskRecord running = TaskRecord.fromBytes(task.toBytes());
      task.renewLeaseUntil(90_000);
      TaskRecord renewed = TaskRecord.fromBytes(task.toBytes());
      task.completeWith("done", 3_000);

      store.storeAll(Map.of(task.getId(), running));
      // As far along (a renewed lease): written.
      store.storeAll(Map.of(task.getId(), renewed));
      assertThat(database.records().get(task.getId()).getLeaseUntil()).isEqualTo(90_000);

      store.storeAll(Map.of(task.getId(), task));
      store.storeAll(Map.of(task.getId(), running));
      TaskRecord row = database.records().get(task.getId());
      assertThat(row.getStatus()).isEqualTo(TaskStatus.COMPLETED);
      assertThat(row.getResult()).isEqualTo("done");
      // What a whole-cluster restart loads: the task is not unfinished.
      assertThat(store.loadAllKeys()).doesNotContain(task.getId());
    }
  }

  /**
   * Two sides of a split may end the same attempt differently (one cancels, the other runs it to
   * its end) and write in either order: the row keeps the attempt's own end both ways, as the
   * split-brain merge keeps it in memory. So does a cancel whose write committed while its caller
   * was told it failed (memory never cancelled the task).
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void ofTwoEndsOfTheSameAttemptTheRowKeepsTheAttemptsOwnWhicheverIsWrittenLast(TaskDatabase database)
      throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      for (boolean cancelFirst : List.of(true, false)) {
        TaskRecord running = pending("store-test-split-" + cancelFirst, "p");
        running.startOn("node-1", 2_000, 60_000);
        TaskRecord cancelled = TaskRecord.fromBytes(running.toBytes());
        cancelled.cancel(2_500);
        TaskRecord completed = TaskRecord.fromBytes(running.toBytes());
        completed.completeWith("done", 3_000);

        if (cancelFirst) {
          store.storeNow(cancelled);
          store.storeAll(Map.of(completed.getId(), completed));
        } else {
          store.storeAll(Map.of(completed.getId(), completed));
          store.storeNow(cancelled);
        }
        TaskRecord row = database.records().get(running.getId());
        assertThat(row.getStatus()).as("cancel first: %s", cancelFirst).isEqualTo(TaskStatus.COMPLETED);
        assertThat(row.getResult()).isEqualTo("done");
      }
    }
  }

  /** Rows written before ends of the same attempt were ranked move to the new scale at start (V5). */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void rowsWrittenOnTheEarlierProgressScaleAreMovedToTheNewOne(TaskDatabase database) throws Exception {
    Flyway.configure().dataSource(database.url(), database.username(), database.password())
        .locations("classpath:db/migration/" + database.kind()).target("4").load().migrate();
    List<TaskRecord> tasks = new ArrayList<>();
    for (TaskStatus end : List.of(TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.CANCELLED)) {
      TaskRecord task = pending("scale-" + end, "p");
      for (int claim = 0; claim < 3; claim++) {
        task.startOn("node-1", 2_000, 60_000);
        task.handBack();
      }
      task.startOn("node-1", 2_000, 60_000);
      switch (end) {
        case COMPLETED -> task.completeWith("done", 3_000);
        case FAILED -> task.failForGood("boom", 3_000);
        default -> task.cancel(3_000);
      }
      tasks.add(task);
    }
    TaskRecord waiting = pending("scale-pending", "p");
    waiting.startOn("node-1", 2_000, 60_000);
    waiting.requeueLost("left", 2_500);
    tasks.add(waiting);
    try (Connection db = DriverManager.getConnection(database.url(), database.username(), database.password());
        PreparedStatement insert = db.prepareStatement(
            "INSERT INTO taskgrid_tasks (id, status, finished_at, record, progress) VALUES (?, ?, ?, ?, ?)")) {
      for (TaskRecord task : tasks) {
        insert.setString(1, task.getId());
        insert.setString(2, task.getStatus().name());
        insert.setLong(3, task.getFinishedAt());
        insert.setBytes(4, task.toBytes());
        // V4's scale: 2^62 + fence for an ended task, as unfinished ones still are.
        insert.setLong(5, task.getStatus().isTerminal() ? (1L << 62) + task.getFence() : task.progress());
        insert.executeUpdate();
      }
    }

    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      try (Connection db = DriverManager.getConnection(database.url(), database.username(), database.password());
          ResultSet rows = db.createStatement().executeQuery("SELECT record, progress FROM taskgrid_tasks")) {
        int read = 0;
        while (rows.next()) {
          assertThat(rows.getLong(2)).isEqualTo(TaskRecord.fromBytes(rows.getBytes(1)).progress());
          read++;
        }
        assertThat(read).isEqualTo(tasks.size());
      }
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void onceLoadedOrEnteredAJournaledTaskLoadsFromTheDatabase(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      TaskRecord loadedOnce = pending("store-test-loaded", "a");
      TaskRecord entered = pending("store-test-entered", "b");
      store.recordIfAbsent(List.of(loadedOnce, entered));
      assertThat(store.load(loadedOnce.getId()).getStatus()).isEqualTo(TaskStatus.PENDING);
      store.entered(List.of(entered.getId()));

      // Later changes reach the database by write-behind; a load must see them, not the journal's copy.
      runToCompletion(loadedOnce, "ran");
      runToCompletion(entered, "ran too");
      store.storeAll(Map.of(loadedOnce.getId(), loadedOnce, entered.getId(), entered));

      assertThat(store.load(loadedOnce.getId()).getResult()).isEqualTo("ran");
      assertThat(store.load(entered.getId()).getResult()).isEqualTo("ran too");
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aSubmissionOwnedByAnotherNodeLoadsThereFromItsProcessorUnlessItsRowWasAlreadyStored(TaskDatabase database)
      throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(2)) {
      TestNode receiver = cluster.node(1);
      TestNode owner = cluster.node(2);
      List<String> ids = owner.idsOwnedHere("elsewhere-", 20);
      double before = databaseLoads(cluster);

      for (String id : ids) {
        SubmitResult result = receiver.store().submit(TaskSpec.builder().id(id).type("echo").payload(id).build());
        assertThat(result.outcome()).isEqualTo(SubmitOutcome.CREATED);
      }
      // The journaled rows reached the owner, and its backup, inside the processors: no query.
      assertThat(databaseLoads(cluster)).isEqualTo(before);
      await().until(() -> ids.stream().allMatch(id -> receiver.store().get(id).orElseThrow().status() == TaskStatus.COMPLETED));

      // A row that was already stored (and is not in memory) is not the candidate: the owner reads it.
      String stored = owner.idsOwnedHere("stored-", 1).get(0);
      TaskRecord old = pending(stored, "old");
      runToCompletion(old, "done before");
      owner.bean(TaskMapStore.class).storeAll(Map.of(stored, old));
      double beforeStored = databaseLoads(cluster);
      SubmitResult again = receiver.store().submit(TaskSpec.builder().id(stored).type("echo").payload("old").build());
      assertThat(again.outcome()).isEqualTo(SubmitOutcome.EXISTING);
      assertThat(again.task().result()).isEqualTo("done before");
      assertThat(databaseLoads(cluster)).isGreaterThan(beforeStored);
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aPendingSubmissionIsWrittenByTheJournalAloneAndStaysInMemory(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).with("taskgrid.capacity", 1)
        .with("taskgrid.lease", "10m").start(1)) {
      TestNode node = cluster.node(1);
      IMap<String, TaskRecord> map = node.store().map();
      holdEverySlot(List.of(node));
      double loads = databaseLoads(cluster);

      List<String> ids = node.idsOwnedHere("waits-", 20);
      for (String id : ids) {
        SubmitResult result = node.store().submit(TaskSpec.builder().id(id).type("echo").payload(id).build());
        assertThat(result.task().status()).isEqualTo(TaskStatus.PENDING);
      }

      // The map holds what the journal wrote, not a change for write-behind to write again
      // (which would stay queued for its 1 s delay), and reading the tasks queries nothing.
      assertThat(map.getLocalMapStats().getDirtyEntryCount()).isZero();
      ids.forEach(id -> assertThat(node.store().get(id).orElseThrow().status()).isEqualTo(TaskStatus.PENDING));
      assertThat(databaseLoads(cluster)).isEqualTo(loads);
      Map<String, TaskRecord> rows = database.records();
      ids.forEach(id -> assertThat(rows.get(id).getStatus()).isEqualTo(TaskStatus.PENDING));
    }
  }

  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void aPendingSubmissionIsNotQueuedForWriteBehindOnItsBackupEither(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).with("taskgrid.capacity", 1)
        .with("taskgrid.lease", "10m").start(2)) {
      TestNode owner = cluster.node(1);
      TestNode backup = cluster.node(2);
      // An idle node would take the waiting tasks over.
      holdEverySlot(List.of(owner, backup));

      List<String> ids = owner.idsOwnedHere("waits-", 20);
      owner.store().submitAll(ids.stream().map(id -> TaskSpec.builder().id(id).type("echo").payload(id).build()).toList());

      // The backup holds every task, as loaded, and nothing of them waits in its write-behind
      // queue: were the owner to die, its successor would write none of them again.
      IMap<String, TaskRecord> onBackup = backup.store().map();
      ids.forEach(id -> assertThat(onBackup.get(id).getStatus()).isEqualTo(TaskStatus.PENDING));
      assertThat(queuedForWriteBehind(backup.hazelcast())).doesNotContainAnyElementsOf(ids);
      assertThat(owner.store().map().getLocalMapStats().getDirtyEntryCount()).isZero();
    }
  }

  /**
   * SQLite's transactions begin and end by statement: a write leaves the file's one write lock free
   * for every other writer at once, and a write refused by the database leaves no row of its batch
   * and no lock, and the pool's connections go on writing.
   */
  @Test
  void aSqliteWriteReleasesTheWriteLockAndARefusedOneLeavesNothing() throws Exception {
    TaskDatabase database = TaskDatabase.sqlite();
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      assertThat(store.recordIfAbsent(List.of(pending("store-lock-first", "a")))).containsExactly("store-lock-first");
      assertWritableAtOnce(database);

      try (Connection db = DriverManager.getConnection(database.url()); Statement sql = db.createStatement()) {
        sql.execute("CREATE TRIGGER refuse_for_test BEFORE INSERT ON taskgrid_tasks WHEN NEW.id = 'store-lock-refused' "
            + "BEGIN SELECT RAISE(ABORT, 'refused by the test'); END");
      }
      assertThatThrownBy(() -> store.recordIfAbsent(List.of(pending("store-lock-ok", "b"), pending("store-lock-refused", "c"))))
          .isInstanceOf(TaskStoreUnavailableException.class)
          .hasMessageContaining("refused by the test");
      assertThat(database.records()).containsKey("store-lock-first").doesNotContainKeys("store-lock-ok", "store-lock-refused");
      assertWritableAtOnce(database);
      for (int i = 0; i < 5; i++) {
        assertThat(store.recordIfAbsent(List.of(pending("store-lock-after-" + i, "d")))).hasSize(1);
      }
      assertWritableAtOnce(database);
    }
  }

  /**
   * Every write transaction is timed by what it writes; with SQLite also its wait for the file's
   * write lock, which here another connection holds for a while.
   */
  @ParameterizedTest(name = "on {0}")
  @MethodSource("databases")
  void writeTransactionsAreTimedByKindAndSqliteLockWaitsToo(TaskDatabase database) throws Exception {
    try (TestCluster cluster = database.configure(new TestCluster()).start(1)) {
      TaskMapStore store = cluster.node(1).bean(TaskMapStore.class);
      MeterRegistry meters = cluster.node(1).bean(MeterRegistry.class);
      long journalBefore = transactions(meters, "journal");
      long writeBehindBefore = transactions(meters, "write-behind");
      long retentionBefore = transactions(meters, "retention");
      TaskRecord task = pending("store-timed", "a");
      store.recordIfAbsent(List.of(task));
      runToCompletion(task, "done");
      store.storeAll(Map.of(task.getId(), task));
      store.deleteFinishedBefore(0);
      assertThat(transactions(meters, "journal")).isEqualTo(journalBefore + 1);
      assertThat(transactions(meters, "write-behind")).isGreaterThanOrEqualTo(writeBehindBefore + 1);
      assertThat(transactions(meters, "retention")).isGreaterThanOrEqualTo(retentionBefore + 1);
      if (!database.kind().equals("sqlite")) {
        assertThat(meters.find("taskgrid.database.lock.wait").timer()).isNull();
        return;
      }
      try (Connection db = DriverManager.getConnection(database.url()); Statement sql = db.createStatement()) {
        sql.execute("BEGIN IMMEDIATE");
        CompletableFuture<Set<String>> blocked =
            CompletableFuture.supplyAsync(() -> store.recordIfAbsent(List.of(pending("store-timed-blocked", "b"))));
        await().pollDelay(Duration.ofMillis(300)).until(() -> !blocked.isDone());
        sql.execute("COMMIT");
        assertThat(blocked.get(10, TimeUnit.SECONDS)).containsExactly("store-timed-blocked");
      }
      Timer lockWait = meters.get("taskgrid.database.lock.wait").tag("kind", "journal").timer();
      assertThat(lockWait.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(300);
      assertThat(transactions(meters, "journal")).isEqualTo(journalBefore + 2);
    }
  }

  private static long transactions(MeterRegistry meters, String kind) {
    return meters.get("taskgrid.database.transaction").tag("kind", kind).timer().count();
  }

  /** Takes the write lock from another connection without waiting: fails if any connection holds it. */
  private static void assertWritableAtOnce(TaskDatabase database) throws SQLException {
    try (Connection db = DriverManager.getConnection(database.url()); Statement sql = db.createStatement()) {
      sql.execute("PRAGMA busy_timeout = 0");
      sql.execute("BEGIN IMMEDIATE");
      sql.execute("ROLLBACK");
    }
  }

  /**
   * Fills each node's one slot with a task owned there, whose lease is not renewed while a test
   * runs (a renewal is a change), and waits until their starts are written behind: then nothing
   * waits for the database.
   */
  private static void holdEverySlot(List<TestNode> nodes) {
    for (TestNode node : nodes) {
      String id = node.idsOwnedHere("holds-the-slot-", 1).get(0);
      node.store().submit(TaskSpec.builder().id(id).type("sleep").payload("60000").build());
    }
    await().until(() -> nodes.stream().allMatch(node -> node.worker().freeSlots() == 0
        && node.store().map().getLocalMapStats().getDirtyEntryCount() == 0));
  }

  /** The keys in every write-behind queue of the task map on this member, backups' included. */
  private static Set<String> queuedForWriteBehind(HazelcastInstance member) {
    NodeEngine engine = ((HazelcastInstanceProxy) member).getOriginal().node.getNodeEngine();
    MapServiceContext maps = engine.<MapService>getService(MapService.SERVICE_NAME).getMapServiceContext();
    Set<String> keys = new HashSet<>();
    for (int partition = 0; partition < engine.getPartitionService().getPartitionCount(); partition++) {
      RecordStore<?> store = maps.getPartitionContainer(partition).getExistingRecordStore(TaskStore.TASKS_MAP);
      if (store != null && store.getMapDataStore() instanceof WriteBehindStore writeBehind) {
        writeBehind.getWriteBehindQueue().asList()
            .forEach(entry -> keys.add(engine.getSerializationService().toObject(entry.getKey())));
      }
    }
    return keys;
  }

  private static double databaseLoads(TestCluster cluster) {
    double loads = 0;
    for (TestNode node : cluster.running()) {
      loads += node.bean(MeterRegistry.class).get("taskgrid.store.loads").functionCounter().count();
    }
    return loads;
  }
}
