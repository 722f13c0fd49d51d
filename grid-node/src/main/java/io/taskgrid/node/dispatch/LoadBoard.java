package io.taskgrid.node.dispatch;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.EntryEvent;
import com.hazelcast.core.EntryListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleEvent;
import com.hazelcast.core.LifecycleEvent.LifecycleState;
import com.hazelcast.map.MapEvent;
import com.hazelcast.replicatedmap.ReplicatedMap;
import io.taskgrid.node.execution.Worker;
import io.taskgrid.node.hazelcast.NodeIdentity;
import io.taskgrid.node.memory.HeapPressure;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * Every node's load, in a replicated map that each member reads locally. A node republishes its
 * own status when it changes in a way that steers other nodes' dispatchers (a backlog appears or
 * goes, its best task's rank changes) at most every {@value #PUBLISH_DELAY_MS} ms, and when only
 * its counts change at most every {@value #COUNTS_DELAY_MS} ms; an idle node, or one whose best
 * pending task ranks below another node's waiting one, reads the board to decide whom to take
 * work from (see {@link Dispatcher}). Every {@value #REFRESH_MS} ms it publishes and reads the
 * board whatever changed, so that a missed event (a merge after a split) heals within that.
 */
@Component
public class LoadBoard {
  private static final Logger log = LoggerFactory.getLogger(LoadBoard.class);
  static final String MAP = "taskgrid-nodes";
  private static final long PUBLISH_DELAY_MS = 20;
  /**
   * Counts (running, pending, how many wait) are for people watching, through {@code GET
   * /api/cluster}. Under load they change with every task, and publishing them every 20 ms put
   * 50 replicated-map updates a second per node, each with an event on every member, into about
   * 2 % of three nodes' CPU in workload 1 (docs/performance.md).
   */
  private static final long COUNTS_DELAY_MS = 1_000;
  /** How often a node publishes its status and reads the board even when nothing changed ({@link #refresh}). */
  private static final long REFRESH_MS = 5_000;

  private final ReplicatedMap<String, NodeStatus> board;
  private final HazelcastInstance hazelcast;
  private final NodeIdentity identity;
  private final PendingIndex pending;
  private final Worker worker;
  private final HeapPressure heap;
  private final ScheduledExecutorService scheduler;
  // A publish within PUBLISH_DELAY_MS, and one of counts alone, is scheduled (set by any thread
  // that reports a change, cleared when it runs). Both run on the scheduler's one thread, so
  // publishes do not overlap (start and drain publish on their own threads, once each).
  private final AtomicBoolean publishScheduled = new AtomicBoolean();
  private final AtomicBoolean countsScheduled = new AtomicBoolean();
  private final AtomicLong version = new AtomicLong();
  // Node id → version of its status that a hand-over found empty: not asked again until it changes.
  private final Map<String, Long> exhausted = new ConcurrentHashMap<>();
  // A local copy of the board, kept by its entry listener: a dispatch round reads plain objects
  // instead of deserializing every entry of the replicated map each time.
  private final Map<String, NodeStatus> statuses = new ConcurrentHashMap<>();
  private final List<Runnable> backlogListeners = new CopyOnWriteArrayList<>();
  private volatile String httpUrl;
  private volatile boolean claiming;
  private volatile NodeStatus lastPublished;
  private volatile long lastPublishedNanos;
  // This node's id as a merge began (set on Hazelcast's merge thread, read there at MERGED).
  private volatile String idBeforeMerge;

  public LoadBoard(HazelcastInstance hazelcast, NodeIdentity identity, PendingIndex pending, Worker worker,
      HeapPressure heap, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler) {
    this.board = hazelcast.getReplicatedMap(MAP);
    this.hazelcast = hazelcast;
    this.identity = identity;
    this.pending = pending;
    this.worker = worker;
    this.heap = heap;
    this.scheduler = scheduler;
    heap.onChange(this::changed);
  }

  /** Called when another node publishes a backlog, so that idle capacity here can take it. */
  public void onRemoteBacklog(Runnable listener) {
    backlogListeners.add(listener);
  }

  public void start() {
    claiming = true;
    board.addEntryListener(new BoardListener());
    hazelcast.getLifecycleService().addLifecycleListener(this::lifecycleChanged);
    board.forEach((id, status) -> keep(status));
    publish();
    scheduler.scheduleWithFixedDelay(this::refresh, REFRESH_MS, REFRESH_MS, TimeUnit.MILLISECONDS);
  }

  /**
   * Reads the whole board again and publishes this node's status even if unchanged: what bounds
   * how long a view missing an event stays wrong. A member that merged back after a split got the
   * cluster's board without events for what was in it, and the others' copies lacked its status
   * under its new id: on an idle cluster, its {@code GET /api/cluster} listed only itself (and,
   * after a first fix that read the board once at the merge, one node of three) for as long as
   * no load changed (a chaos run; 60 s by hand). Runs on the scheduler's thread, as every publish.
   */
  private void refresh() {
    try {
      board.forEach((id, status) -> keep(status));
      statuses.keySet().retainAll(board.keySet());
      lastPublished = null;
      publish();
    } catch (RuntimeException e) {
      // The member is stopping or the cluster changing: the next refresh tries again.
      log.debug("Could not refresh the load board: {}", e.toString());
    }
  }

  /** Merged back after a split, with a new id: drops the status under the old one and refreshes. */
  private void lifecycleChanged(LifecycleEvent event) {
    if (event.getState() == LifecycleState.MERGING) {
      idBeforeMerge = identity.id();
    } else if (event.getState() == LifecycleState.MERGED) {
      String before = idBeforeMerge;
      log.info("Merged back into the cluster as node {}", identity.id());
      // Not on the merge's own thread, which must not wait on the replicated map it is filling.
      scheduler.execute(() -> {
        if (before != null && !before.equals(identity.id())) {
          remove(before);
        }
        refresh();
      });
    }
  }

  /** This node stops claiming: everything pending in its partitions is up for others to take. */
  public void drain() {
    claiming = false;
    publish();
  }

  public void setHttpUrl(String httpUrl) {
    this.httpUrl = httpUrl;
    changed();
  }

  /** Something about this node's load changed: republish soon. */
  public void changed() {
    if (publishScheduled.compareAndSet(false, true)) {
      scheduler.schedule(this::publish, PUBLISH_DELAY_MS, TimeUnit.MILLISECONDS);
    }
  }

  void publish() {
    publishScheduled.set(false);
    int ready = pending.readyCount();
    int free = claiming ? worker.freeSlots() : 0;
    NodeStatus now = new NodeStatus(identity.id(), identity.address(), httpUrl, worker.capacity(), worker.running(),
        pending.size(), Math.max(0, ready - free), pending.peekBest(), !claiming, heap.full());
    NodeStatus last = lastPublished;
    if (now.sameAs(last)) {
      return;
    }
    long countsDue = TimeUnit.MILLISECONDS.toNanos(COUNTS_DELAY_MS) - (System.nanoTime() - lastPublishedNanos);
    if (now.steersLike(last) && countsDue > 0) {
      // Only counts moved: publish them later, together with whatever moves meanwhile.
      if (countsScheduled.compareAndSet(false, true)) {
        scheduler.schedule(() -> {
          countsScheduled.set(false);
          publish();
        }, countsDue, TimeUnit.NANOSECONDS);
      }
      return;
    }
    lastPublished = now;
    lastPublishedNanos = System.nanoTime();
    board.put(now.id(), now.withVersion(version.incrementAndGet()));
  }

  /**
   * The node to take work from: one whose waiting task outranks this node's best ready one (or
   * any with a backlog when this node has none), the best such; null when none.
   */
  NodeStatus stealTarget(Candidate localBest) {
    String self = identity.id();
    Set<String> members = null;
    NodeStatus target = null;
    for (NodeStatus status : statuses.values()) {
      if (status.id().equals(self) || status.waiting() <= 0 || status.best() == null
          || Long.valueOf(status.version()).equals(exhausted.get(status.id()))
          || !status.best().outranks(localBest)
          || (target != null && Candidate.BEST_FIRST.compare(status.best(), target.best()) >= 0)) {
        continue;
      }
      members = members == null ? memberIds() : members;
      if (members.contains(status.id())) {
        target = status;
      }
    }
    return target;
  }

  /**
   * Whether any node, this one included, last published tasks waiting: the cheap test before
   * waking the dispatcher, callable from any thread (it asks nothing of Hazelcast). A backlog that
   * {@link #stealTarget} would skip only costs a round that finds nothing.
   */
  boolean anyBacklog() {
    for (NodeStatus status : statuses.values()) {
      if (status.waiting() > 0 && status.best() != null) {
        return true;
      }
    }
    return false;
  }

  /** A hand-over from this node came back empty: skip it until it publishes again. */
  void markExhausted(NodeStatus status) {
    exhausted.put(status.id(), status.version());
  }

  /**
   * A member whose heap is too full for new tasks, as the board last said, or null: callable on
   * every submission (a read of the local copy, members asked only when one is full).
   */
  public NodeStatus fullMember() {
    for (NodeStatus status : statuses.values()) {
      if (status.memoryFull() && memberIds().contains(status.id())) {
        return status;
      }
    }
    return null;
  }

  /** Forgets a node that left the cluster. */
  public void remove(String nodeId) {
    board.remove(nodeId);
    statuses.remove(nodeId);
    exhausted.remove(nodeId);
  }

  /** The statuses of the nodes that are members now. */
  public Collection<NodeStatus> nodes() {
    Set<String> members = memberIds();
    return statuses.values().stream().filter(s -> members.contains(s.id())).collect(Collectors.toList());
  }

  Member member(String nodeId) {
    return hazelcast.getCluster().getMembers().stream()
        .filter(m -> m.getUuid().toString().equals(nodeId))
        .findFirst()
        .orElse(null);
  }

  private Set<String> memberIds() {
    return hazelcast.getCluster().getMembers().stream().map(m -> m.getUuid().toString()).collect(Collectors.toSet());
  }

  /** Keeps a status unless a newer one of the same node is there already (events and the seed race). */
  private void keep(NodeStatus status) {
    statuses.merge(status.id(), status, (old, neu) -> neu.version() >= old.version() ? neu : old);
  }

  /** Keeps the local copy current, and wakes the dispatcher when another node has a backlog. */
  private final class BoardListener implements EntryListener<String, NodeStatus> {
    @Override
    public void entryAdded(EntryEvent<String, NodeStatus> event) {
      changed(event.getValue());
    }

    @Override
    public void entryUpdated(EntryEvent<String, NodeStatus> event) {
      changed(event.getValue());
    }

    private void changed(NodeStatus status) {
      if (status == null) {
        return;
      }
      keep(status);
      if (status.waiting() > 0 && !status.id().equals(identity.id())) {
        backlogListeners.forEach(Runnable::run);
      }
    }

    @Override
    public void entryRemoved(EntryEvent<String, NodeStatus> event) {
      statuses.remove(event.getKey());
    }

    @Override
    public void entryEvicted(EntryEvent<String, NodeStatus> event) {
      statuses.remove(event.getKey());
    }

    @Override
    public void entryExpired(EntryEvent<String, NodeStatus> event) {
      statuses.remove(event.getKey());
    }

    @Override
    public void mapCleared(MapEvent event) {
      statuses.clear();
    }

    @Override
    public void mapEvicted(MapEvent event) {
      statuses.clear();
    }
  }
}
