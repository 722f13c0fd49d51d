package io.taskgrid.client;

import com.hazelcast.client.HazelcastClient;
import com.hazelcast.client.config.ClientConfig;
import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.grid.TaskGridSerialization;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.SubmitResult;
import io.taskgrid.model.TaskPage;
import io.taskgrid.model.TaskSpec;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.model.TaskView;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Java client of a TaskGrid cluster, over a Hazelcast smart client (each call goes straight to
 * the member that owns the task). Thread-safe; make one per application and close it at the end.
 *
 * <pre>{@code
 * try (TaskGridClient grid = TaskGridClient.connect("taskgrid", "127.0.0.1:5701")) {
 *   TaskView task = grid.submit(TaskSpec.builder().type("echo").payload("hi").build()).task();
 *   TaskView done = grid.whenDone(task.id()).get(30, TimeUnit.SECONDS);
 *   System.out.println(done.status() + " " + done.result());   // COMPLETED hi
 * }
 * }</pre>
 */
public final class TaskGridClient implements AutoCloseable {
  /** The cluster name TaskGrid's hazelcast.yaml uses. */
  public static final String DEFAULT_CLUSTER_NAME = "taskgrid";

  private final HazelcastInstance hazelcast;
  private final TaskStore store;

  private TaskGridClient(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
    this.store = new TaskStore(hazelcast);
  }

  /** Connects to the named cluster through any of the given member addresses ({@code host:port}). */
  public static TaskGridClient connect(String clusterName, String... memberAddresses) {
    ClientConfig config = new ClientConfig();
    config.setClusterName(clusterName);
    config.getNetworkConfig().addAddress(memberAddresses);
    return connect(config);
  }

  /** Connects with a full Hazelcast client config; TaskGrid's serialization is added to it. */
  public static TaskGridClient connect(ClientConfig config) {
    TaskGridSerialization.register(config.getSerializationConfig());
    return new TaskGridClient(HazelcastClient.newHazelcastClient(config));
  }

  /**
   * Submits one task. Submitting the identical spec again is a no-op that answers the existing
   * task ({@link io.taskgrid.model.SubmitOutcome#EXISTING}).
   *
   * @throws io.taskgrid.model.TaskConflictException if the id is taken by a different spec
   */
  public SubmitResult submit(TaskSpec spec) {
    return store.submit(spec);
  }

  /**
   * Submits up to 10,000 tasks in parallel, their payloads together at most 32 MiB
   * ({@link TaskStore#MAX_BATCH_PAYLOAD_BYTES}); answers in the order given.
   *
   * @throws io.taskgrid.model.PayloadTooLargeException if the payloads are over that (nothing stored)
   * @throws io.taskgrid.model.TaskConflictException if an id is taken by a different spec (nothing stored)
   */
  public List<SubmitResult> submitAll(List<TaskSpec> specs) {
    return store.submitAll(specs);
  }

  /** The task, or empty when the grid does not know the id. */
  public Optional<TaskView> get(String id) {
    return store.get(id);
  }

  /** A page of tasks ordered by id; {@code status} may be null, {@code cursor} null for the first page. */
  public TaskPage list(TaskStatus status, int limit, String cursor) {
    return store.list(status, limit, cursor);
  }

  /**
   * Cancels a pending or running task (a running handler is interrupted).
   *
   * @throws io.taskgrid.model.TaskNotFoundException for an unknown id
   * @throws io.taskgrid.model.TaskConflictException if the task has already ended
   */
  public TaskView cancel(String id) {
    return store.cancel(id);
  }

  /** Completes with the task once it is COMPLETED, FAILED or CANCELLED; pushed by the grid, not polled. */
  public CompletableFuture<TaskView> whenDone(String id) {
    return store.whenDone(id);
  }

  /**
   * Completes with the task once it has ended, or with the task as it stands when {@code wait} has
   * passed, whichever comes first (look at its status). Prefer it to a timed get on {@link
   * #whenDone}, whose waiter stays registered until the task ends.
   */
  public CompletableFuture<TaskView> whenDoneWithin(String id, Duration wait) {
    return store.whenDoneWithin(id, wait);
  }

  /** The underlying Hazelcast client, for what this class does not cover. */
  public HazelcastInstance hazelcast() {
    return hazelcast;
  }

  @Override
  public void close() {
    hazelcast.shutdown();
  }
}
