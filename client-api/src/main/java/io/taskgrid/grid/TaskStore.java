package io.taskgrid.grid;

import com.hazelcast.client.UndefinedErrorCodeException;
import com.hazelcast.cluster.Member;
import com.hazelcast.core.ExecutionCallback;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceNotActiveException;
import com.hazelcast.core.IExecutorService;
import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import com.hazelcast.query.Predicate;
import com.hazelcast.query.Predicates;
import com.hazelcast.query.QueryConstants;
import com.hazelcast.spi.exception.RetryableException;
import io.taskgrid.grid.Reply.Outcome;
import io.taskgrid.model.ClusterFullException;
import io.taskgrid.model.InvalidRequestException;
import io.taskgrid.model.InvalidTaskException;
import io.taskgrid.model.PayloadTooLargeException;
import io.taskgrid.model.SubmitOutcome;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskConflictException;
import io.taskgrid.model.TaskNotFoundException;
import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The task operations every entry point shares (the Java client and each node's REST API), over
 * the task map of a member or of a client. Each change is one entry processor on the task's key.
 *
 * <p>Submissions enter on a member: a member's store journals them (when the node persists tasks)
 * and then runs the submit processors; a client's store sends them, grouped by the member that
 * owns their partitions, to be entered there ({@link SubmitOnMember}).
 */
public final class TaskStore {
  /** Name of the partitioned map that holds the tasks; configured in hazelcast.yaml. */
  public static final String TASKS_MAP = "taskgrid-tasks";
  /** Key of a member's store in {@code HazelcastInstance.getUserContext()}. */
  public static final String CONTEXT_KEY = "taskgrid.taskStore";
  /** The executor that runs clients' submissions on members; configured in hazelcast.yaml. */
  public static final String SUBMIT_EXECUTOR = "taskgrid-submit";
  /** Largest batch accepted by {@link #submitAll}. */
  public static final int MAX_BATCH = 10_000;
  /**
   * Most payload bytes one batch may carry, all tasks together: a batch travels to a member and is
   * journaled there whole, so its size must fit a node's heap many times over.
   */
  public static final int MAX_BATCH_PAYLOAD_BYTES = 32 << 20;
  /** Largest page of {@link #list}. */
  public static final int MAX_PAGE = 1_000;
  /**
   * About the most bytes of results and errors one page of {@link #list} carries: a page stops
   * before the task that would pass it (but holds one task at least).
   */
  public static final int MAX_PAGE_BYTES = 8 << 20;
  /** The executor that runs clients' listings on members; configured in hazelcast.yaml. */
  public static final String READ_EXECUTOR = "taskgrid-read";
  /** How often a client sends a submission (or a listing) again after the member it went to left. */
  static final int SUBMIT_TRIES = 10;
  static final long RETRY_PAUSE_MS = 200;
  /** Single submissions a member may have acknowledged but not yet entered; the next one waits. */
  static final int MAX_UNENTERED = 1_000;
  /** How long a member's graceful stop waits for the submissions it acknowledged to enter. */
  private static final long FINISH_ENTERING_MS = 30_000;

  private final HazelcastInstance hazelcast;
  private final IMap<String, TaskRecord> tasks;
  private final PartitionService partitions;
  private final SubmissionClock clock;
  private final boolean onMember;
  /** Where a member writes new tasks before they enter the map; null without persistence or on a client. */
  private final SubmissionJournal journal;
  /** Sends a processor to many keys, a partition at a time; null on a client. */
  private final PartitionBatches batches;
  /** The open waits of {@link #whenDone} and {@link #whenDoneWithin} callers. */
  private final TaskWaits waits;
  // Permits for single submissions acknowledged at their journal's commit whose submit processor
  // has not answered yet: taken before the journal writes, returned when the processor has run.
  // It bounds the entries in flight when the grid is slower than the database.
  private final Semaphore unentered = new Semaphore(MAX_UNENTERED);
  // Set once by the node after its context is built (the admission needs beans built after this
  // store); volatile so that every submitting thread sees it. Until then everything is admitted.
  private volatile SubmissionAdmission admission = () -> {};

  /** A client's store. */
  public TaskStore(HazelcastInstance client) {
    this(client, Clock.systemUTC(), false, null);
  }

  private TaskStore(HazelcastInstance hazelcast, Clock clock, boolean onMember, SubmissionJournal journal) {
    this.hazelcast = hazelcast;
    this.tasks = hazelcast.getMap(TASKS_MAP);
    this.partitions = hazelcast.getPartitionService();
    this.clock = new SubmissionClock(clock);
    this.onMember = onMember;
    this.journal = journal;
    this.batches = onMember ? new PartitionBatches(hazelcast, TASKS_MAP) : null;
    this.waits = new TaskWaits(hazelcast, tasks, onMember);
  }

  /**
   * A member's store, which enters the submissions of its own callers and of clients; {@code
   * journal} is null when the node does not persist tasks.
   */
  public static TaskStore onMember(HazelcastInstance member, Clock clock, SubmissionJournal journal) {
    TaskStore store = new TaskStore(member, clock, true, journal);
    member.getUserContext().put(CONTEXT_KEY, store);
    return store;
  }

  /** Asks {@code admission} before every submission entered on this member. */
  public void admitWith(SubmissionAdmission admission) {
    this.admission = admission;
  }

  /** The task map itself, for the node's dispatcher and tests. */
  public IMap<String, TaskRecord> map() {
    return tasks;
  }

  /**
   * Stores a new task, or finds the identical one already stored.
   *
   * @throws TaskConflictException when a task with this id exists with a different spec
   */
  public SubmitResult submit(TaskSpec spec) {
    TaskRecord candidate = candidate(spec, clock.millis());
    SubmitResult result = toResult(submitCandidates(List.of(candidate)).get(spec.id()));
    if (result.outcome() == SubmitOutcome.CONFLICT) {
      throw conflict(spec.id());
    }
    return result;
  }

  /**
   * Stores many tasks at once, in parallel. A batch with an id that exists with a different spec
   * (in the grid, or twice in the batch) is refused whole before anything is stored; a conflict
   * that races in while the batch is stored shows as {@link SubmitOutcome#CONFLICT} on its item.
   *
   * @throws InvalidTaskException when the batch is empty, too large, or repeats an id with another spec
   * @throws PayloadTooLargeException when its payloads together are over {@link #MAX_BATCH_PAYLOAD_BYTES}
   * @throws TaskConflictException when an id exists in the grid with a different spec
   */
  public List<SubmitResult> submitAll(List<TaskSpec> specs) {
    if (specs.isEmpty() || specs.size() > MAX_BATCH) {
      throw new InvalidTaskException("tasks", "a batch holds 1 to " + MAX_BATCH + " tasks, not " + specs.size());
    }
    Map<String, TaskSpec> byId = new HashMap<>();
    for (int i = 0; i < specs.size(); i++) {
      TaskSpec earlier = byId.putIfAbsent(specs.get(i).id(), specs.get(i));
      if (earlier != null && !earlier.equals(specs.get(i))) {
        throw new InvalidTaskException("[" + i + "].id", "repeats an id earlier in the batch with a different spec");
      }
    }
    requirePayloadsFit(specs, "tasks");
    refuseConflicts(byId);
    long now = clock.millis();
    List<TaskRecord> candidates = new ArrayList<>(byId.size());
    byId.values().forEach(spec -> candidates.add(candidate(spec, now)));
    Map<String, Reply> replies = submitCandidates(candidates);
    return specs.stream().map(spec -> toResult(replies.get(spec.id()))).collect(Collectors.toList());
  }

  /**
   * Refuses a batch whose payloads together are over {@link #MAX_BATCH_PAYLOAD_BYTES}.
   *
   * @param field what the error names: the batch as the caller knows it
   * @throws PayloadTooLargeException when they are
   */
  public static void requirePayloadsFit(List<TaskSpec> specs, String field) {
    long bytes = 0;
    for (TaskSpec spec : specs) {
      bytes += spec.payloadUtf8().length;
    }
    if (bytes > MAX_BATCH_PAYLOAD_BYTES) {
      throw new PayloadTooLargeException(field, bytes, MAX_BATCH_PAYLOAD_BYTES);
    }
  }

  private Map<String, Reply> submitCandidates(List<TaskRecord> candidates) {
    Map<String, Reply> replies = new HashMap<>();
    (onMember ? enter(candidates) : sendToMembers(candidates)).forEach(r -> replies.put(r.task().getId(), r));
    return replies;
  }

  /**
   * Enters candidates on this member: journals them all in one write (when the node persists
   * tasks), then runs one submit processor per partition, in parallel. Answers a reply per
   * candidate, in order.
   */
  List<Reply> enter(List<TaskRecord> candidates) {
    if (!onMember) {
      throw new IllegalStateException("submissions enter on a member");
    }
    admission.admit();
    if (candidates.size() == 1 && journal != null) {
      return List.of(journalOne(candidates.get(0)));
    }
    Set<String> journaled = journal != null ? journal.recordIfAbsent(candidates) : Set.of();
    if (candidates.size() == 1) {
      return List.of(enterOne(candidates.get(0), journaled));
    }
    Map<Integer, Map<String, TaskRecord>> byPartition = new HashMap<>();
    for (TaskRecord candidate : candidates) {
      byPartition.computeIfAbsent(partitionOf(candidate.getId()), p -> new LinkedHashMap<>())
          .put(candidate.getId(), candidate);
    }
    List<CompletableFuture<Map<String, Reply>>> groups = new ArrayList<>(byPartition.size());
    Map<String, Reply> replies = new HashMap<>();
    try {
      for (Map<String, TaskRecord> group : byPartition.values()) {
        groups.add(enterGroup(group, journaled));
      }
      groups.forEach(g -> replies.putAll(g.join()));
    } finally {
      if (journal != null) {
        // Every processor has finished (join) or was never sent: what the journal kept for them can go.
        CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).handle((v, e) -> null).join();
        journal.entered(candidates.stream().map(TaskRecord::getId).toList());
      }
    }
    return candidates.stream().map(c -> replies.get(c.getId())).toList();
  }

  /**
   * A single submission on a member that persists tasks: acknowledged as soon as the journal has
   * committed its row, when that row is new (the candidate itself, so the answer is CREATED
   * without asking the grid); its submit processor is sent without waiting for it. Stored is what
   * an acknowledgement promises, and the row is: if this member dies before the processor lands,
   * the survivors enter the row (the node's journal adoption), and a read before it lands loads the
   * row. The answer shows the task PENDING, even when its owner then starts it at once. A
   * candidate whose id was already stored is decided by its processor, as before.
   */
  private Reply journalOne(TaskRecord candidate) {
    acquireUnentered();
    Set<String> journaled;
    try {
      journaled = journal.recordIfAbsent(List.of(candidate));
    } catch (RuntimeException e) {
      unentered.release();
      throw e;
    }
    if (!journaled.contains(candidate.getId())) {
      unentered.release();
      return enterOne(candidate, journaled);
    }
    // The answer copies the candidate before its processor is sent: an owner on this member runs
    // the processor on the very object it is given, and may start the task on it.
    Reply acknowledged = new Reply(Outcome.CREATED, candidate);
    enterLater(candidate, journaled, 1);
    return acknowledged;
  }

  private void acquireUnentered() {
    try {
      unentered.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HazelcastException("interrupted while waiting to send again", e);
    }
  }

  /**
   * Sends an acknowledged candidate's submit processor; sent again while this member runs if it
   * fails (a partition migrating for longer than the invocation's own retries), each time a little
   * later. Once it has run, or this member has stopped (its journal is then adopted), the permit
   * and the journal's kept row are released.
   */
  private void enterLater(TaskRecord candidate, Set<String> journaled, int attempt) {
    String id = candidate.getId();
    sendOnce(id, candidate, journaled).whenComplete((reply, error) -> {
      if (error != null && hazelcast.getLifecycleService().isRunning()) {
        long delay = Math.min(5_000, RETRY_PAUSE_MS * attempt);
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS)
            .execute(() -> enterLater(candidate, journaled, attempt + 1));
        return;
      }
      journal.entered(List.of(id));
      unentered.release();
    });
  }

  /**
   * One try of {@link #enterLater}: a call that throws instead of failing its future (a member
   * shutting down, a record that does not serialize) is a failed try too, so that it is retried
   * or its permit released like any other.
   */
  private CompletionStage<Reply> sendOnce(String id, TaskRecord candidate, Set<String> journaled) {
    try {
      // A copy each time: an owner on this member runs the processor on the very object it is
      // given, so a try that ran here and failed may have changed it.
      return tasks.submitToKey(id, new SubmitTask(Map.of(id, candidate.copy()), journaled));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Waits, up to 30 s, until every single submission this member acknowledged at its journal's
   * commit has entered the map: a member stopping gracefully calls it before it leaves the cluster.
   */
  public void finishEntering() {
    try {
      if (unentered.tryAcquire(MAX_UNENTERED, FINISH_ENTERING_MS, TimeUnit.MILLISECONDS)) {
        unentered.release(MAX_UNENTERED);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * One candidate (a REST submission): its processor runs on the calling thread's invocation
   * (a single-key processor, whose backup is synchronous), and its reply is read on this thread
   * too, instead of hopping to a callback thread and back as the batched path does.
   */
  private Reply enterOne(TaskRecord candidate, Set<String> journaled) {
    try {
      return tasks.executeOnKey(candidate.getId(), new SubmitTask(Map.of(candidate.getId(), candidate), journaled));
    } finally {
      if (journal != null) {
        journal.entered(List.of(candidate.getId()));
      }
    }
  }

  /**
   * Runs the submit processor of one partition's candidates as one operation on the partition
   * ({@link PartitionBatches}) and answers once the partition's backup holds them too, so that an
   * acknowledged task survives its owner's death.
   */
  private CompletableFuture<Map<String, Reply>> enterGroup(Map<String, TaskRecord> group, Set<String> journaled) {
    return batches.submit(group.keySet(), new SubmitTask(group, journaled));
  }

  /**
   * Runs a processor on these tasks from this member: one operation per partition, answered once
   * the owners have applied it, their backups following ({@link PartitionBatches}) — for claims and
   * outcome reports, whose lost backup costs a second run, not a task. The replies come on a
   * Hazelcast thread. Member only.
   */
  public <R> CompletableFuture<Map<String, R>> processAll(Collection<String> ids, TaskProcessor<R> processor) {
    if (!onMember) {
      throw new IllegalStateException("batches of processors are sent from a member");
    }
    return batches.submitBackupFollowing(ids, processor);
  }

  /**
   * A client's submission: one {@link SubmitOnMember} per member that owns some of the candidates'
   * partitions, in parallel. A group whose member left is sent again, regrouped by the current
   * owners: the same candidates, so a group that had entered before its member died is recognised
   * and answered as created, not duplicated. (A member still starting answers a retryable error,
   * which the client's invocation already repeats by itself.)
   */
  private List<Reply> sendToMembers(List<TaskRecord> candidates) {
    IExecutorService executor = hazelcast.getExecutorService(SUBMIT_EXECUTOR);
    List<Reply> replies = new ArrayList<>(candidates.size());
    List<TaskRecord> unsent = candidates;
    for (int attempt = 1; !unsent.isEmpty(); attempt++) {
      Map<Member, List<TaskRecord>> byOwner = new HashMap<>();
      for (TaskRecord candidate : unsent) {
        byOwner.computeIfAbsent(ownerOf(candidate.getId()), m -> new ArrayList<>()).add(candidate);
      }
      List<Sent> sent = new ArrayList<>(byOwner.size());
      byOwner.forEach((member, group) -> {
        CompletableFuture<ArrayList<Reply>> answer = new CompletableFuture<>();
        executor.submitToMember(new SubmitOnMember(group), member, new ExecutionCallback<ArrayList<Reply>>() {
          @Override
          public void onResponse(ArrayList<Reply> response) {
            answer.complete(response);
          }

          @Override
          public void onFailure(Throwable t) {
            answer.completeExceptionally(t);
          }
        });
        sent.add(new Sent(group, answer));
      });
      List<TaskRecord> again = new ArrayList<>();
      for (Sent group : sent) {
        try {
          replies.addAll(group.answer().join());
        } catch (CompletionException e) {
          if (attempt >= SUBMIT_TRIES || !isRetryable(e.getCause())) {
            throw asRuntime(e.getCause());
          }
          again.addAll(group.candidates());
        }
      }
      unsent = again;
      if (!unsent.isEmpty()) {
        pauseBeforeRetry(attempt);
      }
    }
    return replies;
  }

  /** A group of candidates sent to a member, and its answer. */
  private record Sent(List<TaskRecord> candidates, CompletableFuture<ArrayList<Reply>> answer) {}

  private Member ownerOf(String id) {
    Member owner = partitions.getPartition(id).getOwner();
    // No owner yet (the cluster is starting or rebalancing): any member enters it for the owner.
    return owner != null ? owner : hazelcast.getCluster().getMembers().iterator().next();
  }

  private int partitionOf(String id) {
    return partitions.getPartition(id).getPartitionId();
  }

  /** Whether the member went away (the error itself, or what it wraps), so another may take the group. */
  static boolean isRetryable(Throwable error) {
    return memberGone(error) || memberGone(error.getCause());
  }

  private static boolean memberGone(Throwable error) {
    return error instanceof RetryableException || error instanceof HazelcastInstanceNotActiveException;
  }

  private static RuntimeException asRuntime(Throwable error) {
    // A member's refusal reaches a client as an exception of a class its protocol does not know.
    if (error instanceof UndefinedErrorCodeException undefined
        && ClusterFullException.class.getName().equals(undefined.getOriginClassName())) {
      return new ClusterFullException(undefined.getMessage());
    }
    return error instanceof RuntimeException runtime ? runtime : new HazelcastException(error);
  }

  private static void pauseBeforeRetry(int attempt) {
    try {
      Thread.sleep(RETRY_PAUSE_MS * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HazelcastException("interrupted while waiting to send again", e);
    }
  }

  private void refuseConflicts(Map<String, TaskSpec> byId) {
    // The tasks in memory, and of each a fingerprint of its spec, from one query on the batch's
    // partitions. getAll answered the whole tasks (SpecFingerprints says what that did), and a
    // read-only processor per key cost about 0.09 ms of node CPU a task in workload 1, likely
    // because each absent key was looked up in the database alone. A task no longer in memory
    // (past its residency), or a fingerprint that matches by chance, is left to the submit
    // processor's own comparison: CONFLICT on its item, as for a conflict that races in.
    Collection<Map.Entry<String, Long>> existing = tasks.project(new SpecFingerprints(), keysIn(byId.keySet()));
    long now = clock.millis();
    List<String> conflicting = existing.stream()
        .filter(found -> found.getValue() != TaskRecord.pending(byId.get(found.getKey()), now, 0).specFingerprint())
        .map(Map.Entry::getKey)
        .sorted()
        .toList();
    if (!conflicting.isEmpty()) {
      throw new TaskConflictException(conflicting.get(0),
          "tasks " + conflicting + " already exist with a different spec; nothing of the batch was stored");
    }
  }

  private TaskRecord candidate(TaskSpec spec, long now) {
    return TaskRecord.pending(spec, now, clock.nextSeq(now));
  }

  private static SubmitResult toResult(Reply reply) {
    SubmitOutcome outcome = switch (reply.outcome()) {
      case CREATED -> SubmitOutcome.CREATED;
      case EXISTING -> SubmitOutcome.EXISTING;
      case CONFLICT -> SubmitOutcome.CONFLICT;
      default -> throw new IllegalStateException("unexpected submission outcome " + reply.outcome());
    };
    return new SubmitResult(outcome, reply.task().toView());
  }

  private static TaskConflictException conflict(String id) {
    return new TaskConflictException(id, "task '" + id + "' already exists with a different spec");
  }

  /** The task, if the grid knows it. */
  public Optional<TaskView> get(String id) {
    return Optional.ofNullable(tasks.get(id)).map(TaskRecord::toView);
  }

  /**
   * A page of tasks ordered by id, optionally of one status: the tasks in memory and, on a cluster
   * that persists tasks, the finished ones in its database ({@link TaskArchive}), without their
   * payloads. A page holds at most {@code limit} tasks, and fewer when their results and errors
   * together pass {@value #MAX_PAGE_BYTES} bytes; go on while its {@code nextCursor} is not null.
   * A client's store asks a member, which reads both.
   *
   * @param status only tasks of this status, or null for all
   * @param limit 1 to {@value #MAX_PAGE}
   * @param cursor the {@code nextCursor} of the previous page, or null for the first page
   */
  public TaskPage list(TaskStatus status, int limit, String cursor) {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new InvalidRequestException("limit", "must be between 1 and " + MAX_PAGE + ", was " + limit);
    }
    ListedPage page = onMember ? listHere(status, limit, cursor) : listOnAMember(status, limit, cursor);
    return new TaskPage(page.tasks().stream().map(TaskRecord::toView).toList(), page.next());
  }

  /** {@link #list} as this member reads it, from the map and its database. */
  ListedPage listHere(TaskStatus status, int limit, String cursor) {
    // The page's ids first, then their tasks: the members keep their best ids in a heap rather
    // than sorting every match (FirstIds).
    // An empty cursor is below every id (ids have 1 or more characters): the first page, as null.
    List<FirstIds.Found> resident = tasks.aggregate(new FirstIds(limit, cursor, status));
    TaskArchive archive = (TaskArchive) hazelcast.getUserContext().get(TaskArchive.CONTEXT_KEY);
    List<TaskRecord> archived = archive == null || (status != null && !status.isTerminal())
        ? List.of() : archive.finished(cursor, status, limit, MAX_PAGE_BYTES);
    ListingPage page = ListingPage.choose(resident, archived, limit, MAX_PAGE_BYTES);
    // The tasks in memory without their payloads, from one query on their partitions (getAll
    // answered whole tasks, each member its share in one array: up to 1,000 payloads of 1 MiB).
    Map<String, TaskRecord> inMemory = new HashMap<>();
    if (!page.inMemory().isEmpty()) {
      tasks.project(new WithoutPayload(), keysIn(page.inMemory())).forEach(task -> inMemory.put(task.getId(), task));
    }
    List<TaskRecord> items = new ArrayList<>(page.ids().size());
    for (String id : page.ids()) {
      boolean fromMemory = page.inMemory().contains(id);
      TaskRecord task = fromMemory ? inMemory.get(id) : page.archived().get(id);
      if (task == null && fromMemory) {
        // It left memory between the two reads (evicted at the end of its residency: 2 of a page
        // of 1,000 by hand, with a sweep running), so it is in the database now; without this the
        // cursor would pass it and no page would hold it. Read alone: rare, and one payload at a time.
        task = Optional.ofNullable(tasks.get(id)).map(TaskRecord::withoutPayload).orElse(null);
      }
      if (task != null && (status == null || task.getStatus() == status)) {
        items.add(task);
      }
    }
    return new ListedPage(items, page.next());
  }

  /**
   * The tasks with these ids, as a query that runs on their partitions only: what a projection of
   * a few tasks needs, where {@code getAll} would answer them whole.
   */
  private static Predicate<String, TaskRecord> keysIn(Collection<String> ids) {
    return Predicates.multiPartitionPredicate(new HashSet<>(ids),
        Predicates.in(QueryConstants.KEY_ATTRIBUTE_NAME.value(), ids.toArray(new String[0])));
  }

  private ListedPage listOnAMember(TaskStatus status, int limit, String cursor) {
    IExecutorService executor = hazelcast.getExecutorService(READ_EXECUTOR);
    for (int attempt = 1; ; attempt++) {
      try {
        return executor.submit(new ListOnMember(status, limit, cursor)).get();
      } catch (ExecutionException e) {
        if (attempt >= SUBMIT_TRIES || !isRetryable(e.getCause())) {
          throw asRuntime(e.getCause());
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new HazelcastException("interrupted while listing", e);
      }
      pauseBeforeRetry(attempt);
    }
  }

  /**
   * Cancels a task: a pending one ends CANCELLED at once, a running one too, and its handler is
   * interrupted on the node that runs it.
   *
   * @throws TaskNotFoundException when there is no such task
   * @throws TaskConflictException when the task has already ended
   */
  public TaskView cancel(String id) {
    Reply reply = tasks.executeOnKey(id, new CancelTask(clock.millis()));
    if (reply.outcome() == Outcome.NOT_FOUND) {
      throw new TaskNotFoundException(id);
    }
    if (reply.outcome() == Outcome.TERMINAL) {
      throw new TaskConflictException(id, "task '" + id + "' has already ended " + reply.task().getStatus());
    }
    return reply.task().toView();
  }

  /**
   * Completes when the task reaches a terminal status; exceptionally with {@link
   * TaskNotFoundException} for an unknown id. The task is read when its end is heard, and once when
   * the wait begins, after the hearing is in place, so no transition slips between. The wait is
   * counted in at the task's owner, which tells this store alone when the task ends (docs/design.md,
   * "Waits"): a store hears of the ends it waits for, and of no others.
   */
  public CompletableFuture<TaskView> whenDone(String id) {
    return waits.whenDone(id);
  }

  /**
   * A long poll: the task once it has ended, or as it stands when {@code wait} has passed,
   * whichever comes first. Completes exceptionally with {@link TaskNotFoundException} for an
   * unknown id. Unlike a timed get on {@link #whenDone}, the waiter is removed when the wait ends.
   */
  public CompletableFuture<TaskView> whenDoneWithin(String id, Duration wait) {
    return waits.whenDoneWithin(id, wait);
  }

  /**
   * Ends every {@link #whenDoneWithin} wait now, each with its task as it stands, and any later one
   * at once: for a node that is stopping, whose web server would otherwise wait for its long polls.
   * {@link #whenDone} waits go on.
   */
  public void stopWaiting() {
    waits.stopWaiting();
  }

  /** How many {@link #whenDone} and {@link #whenDoneWithin} futures are still open. */
  public int waiting() {
    return waits.open();
  }

  /** How many ends of the tasks it waits for this store has been told of (for tests). */
  long endsHeard() {
    return waits.endsHeard();
  }

  /** How many tasks the grid holds in each status. */
  public Map<TaskStatus, Long> countByStatus() {
    return tasks.aggregate(new StatusCounter());
  }
}
