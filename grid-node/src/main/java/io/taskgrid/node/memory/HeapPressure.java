package io.taskgrid.node.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.taskgrid.node.config.TaskGridProperties;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ListenerNotFoundException;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.stereotype.Component;

/**
 * How full this JVM's heap is, as its last garbage collection left it: what the live data takes,
 * give or take garbage in the old generation not collected yet, unlike the heap in use at any
 * moment, which swings with every young collection. Over {@code taskgrid.memory.refuse-above} of the
 * maximum heap the node is {@link #full()}, until a collection finds it {@link #RESUME_MARGIN} under
 * that; it says so on the load board, and every node meanwhile refuses submissions ({@link
 * MemoryAdmission}).
 *
 * <p>A full node that sees no collection for a while asks for one ({@link #collectIfStale}): an
 * idle JVM collects nothing, so its last figure stood, and once the finished tasks that filled it
 * had left memory (or only garbage not yet collected had filled it), the whole cluster went on
 * refusing tasks on a figure minutes old.
 */
@Component
public class HeapPressure implements MeterBinder, DisposableBean {
  private static final Logger log = LoggerFactory.getLogger(HeapPressure.class);
  /** While full, how long without a collection before the node asks for one, at first and at most. */
  private static final Duration FIRST_STALE = Duration.ofSeconds(5);
  private static final Duration MOST_STALE = Duration.ofMinutes(5);
  /**
   * A full node takes tasks again only once a collection finds the heap this share of the maximum
   * under its threshold: otherwise a heap that hovers at the threshold would flip the cluster
   * between refusing and taking tasks at every collection, each batch taken filling it again.
   */
  static final double RESUME_MARGIN = 0.05;

  private final double refuseAbove;
  private final long maxHeap = Runtime.getRuntime().maxMemory();
  private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
      .filter(pool -> pool.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener onCollection = this::collected;
  // Written by the JVM's notification thread after each collection, read by any thread.
  private volatile double afterGc;
  private volatile boolean full;
  private volatile long lastCollectionNanos = System.nanoTime();
  private final long firstStaleNanos;
  // How long a full node waits for a collection before it asks for one: doubled each time one finds
  // it full still, up to MOST_STALE, so that a node full of live tasks is not collected over and
  // over. Read and written by the one thread that calls collectIfStale.
  private long staleNanos;
  private ScheduledFuture<?> staleCheck;

  @Autowired
  public HeapPressure(TaskGridProperties properties, @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler) {
    this(properties.memory().refuseAboveShare(Runtime.getRuntime().maxMemory()), FIRST_STALE);
    staleCheck = scheduler.scheduleWithFixedDelay(this::collectIfStale, 1, 1, TimeUnit.SECONDS);
  }

  HeapPressure(double refuseAbove, Duration firstStale) {
    this.refuseAbove = refuseAbove;
    this.firstStaleNanos = firstStale.toNanos();
    this.staleNanos = firstStaleNanos;
    for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (collector instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(onCollection, null, null);
        emitters.add(emitter);
      }
    }
  }

  /** The share of the maximum heap in use after the last collection (0 before the first). */
  public double afterGc() {
    return afterGc;
  }

  /**
   * Whether the heap after a collection went over the share this node refuses above, and none
   * since has found it the resume margin under that.
   */
  public boolean full() {
    return full;
  }

  public double refuseAbove() {
    return refuseAbove;
  }

  /** Calls {@code listener} whenever {@link #full()} changes, on the thread that saw the collection. */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  private void collected(Notification notification, Object handback) {
    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      return;
    }
    Map<String, MemoryUsage> after = GarbageCollectionNotificationInfo
        .from((CompositeData) notification.getUserData()).getGcInfo().getMemoryUsageAfterGc();
    long used = 0;
    for (Map.Entry<String, MemoryUsage> pool : after.entrySet()) {
      if (heapPools.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    lastCollectionNanos = System.nanoTime();
    update((double) used / maxHeap);
  }

  /**
   * Asks the JVM for a full collection when this node is full and none has come for a while: it
   * finds what is live now, and the node takes tasks again if that is under the share. While the
   * node is not full, it does nothing. Called once a second by the node's duties thread, which the
   * collection holds up (full collections of 60–140 ms on nodes of 512 MiB, session 36): only while
   * the node refuses tasks anyway.
   */
  void collectIfStale() {
    if (!full) {
      staleNanos = firstStaleNanos;
      return;
    }
    long since = System.nanoTime() - lastCollectionNanos;
    if (since < staleNanos) {
      return;
    }
    staleNanos = Math.min(staleNanos * 2, MOST_STALE.toNanos());
    log.info("Heap full and no garbage collection for {} s: asking for one, to see what is live now",
        TimeUnit.NANOSECONDS.toSeconds(since));
    System.gc();
  }

  /**
   * Takes the share of the heap a collection left in use. Called on the JVM's one thread for
   * collection notifications (and by tests), so the comparison with {@code full} and its flip need
   * no lock: no two calls overlap.
   */
  void update(double share) {
    afterGc = share;
    boolean nowFull = full ? share > refuseAbove - RESUME_MARGIN : share > refuseAbove;
    if (nowFull != full) {
      full = nowFull;
      if (nowFull) {
        log.warn("Heap {}% full after garbage collection, over {}%: the cluster refuses new tasks until it is not",
            Math.round(share * 100), Math.round(refuseAbove * 100));
      } else {
        log.info("Heap {}% full after garbage collection, at most {}%: this node no longer stops new tasks",
            Math.round(share * 100), Math.round((refuseAbove - RESUME_MARGIN) * 100));
      }
      changeListeners.forEach(Runnable::run);
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("taskgrid.heap.after-gc", this, HeapPressure::afterGc)
        .description("share of the maximum heap in use after the last garbage collection; new tasks are "
            + "refused cluster-wide while a node's is over its taskgrid.memory.refuse-above")
        .register(registry);
  }

  @Override
  public void destroy() {
    if (staleCheck != null) {
      staleCheck.cancel(false);
    }
    // Several nodes share one JVM in tests: a stopped node's listener must not stay registered.
    for (NotificationEmitter emitter : emitters) {
      try {
        emitter.removeNotificationListener(onCollection);
      } catch (ListenerNotFoundException e) {
        // Not registered: nothing to remove.
      }
    }
  }
}
