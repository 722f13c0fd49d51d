package io.taskgrid.node.membership;

import com.hazelcast.cluster.Member;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.topic.ITopic;
import com.hazelcast.topic.Message;
import io.taskgrid.node.execution.Worker;
import io.taskgrid.node.persistence.JournalAdoption;
import io.taskgrid.node.persistence.LostPartitionReload;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;

/**
 * The steps that bring tasks back from the database after members died: entering what a departed
 * member journaled and never entered ({@link JournalAdoption}), and the unfinished tasks of
 * partitions lost with every copy ({@link LostPartitionReload}). The oldest member takes each step,
 * on a thread of its own, tried again until the database answers, then tells the others it is
 * done. Every other member keeps the steps it has heard of until then: should the oldest die
 * before it is done, the member that becomes the oldest takes them over, entering only what is
 * still absent from memory, so a step taken twice changes nothing twice.
 */
class DatabaseRecovery {
  private static final Logger log = LoggerFactory.getLogger(DatabaseRecovery.class);
  /** Where the oldest member says which steps it has taken. */
  static final String DONE_TOPIC = "taskgrid-recovery-done";
  private static final String ADOPT = "adopt ";
  private static final String RELOAD = "reload ";
  // A step is tried again 5 s later, then 10 s … up to once a minute, for as long as the node
  // runs: nothing else brings those tasks in before a restart.
  private static final long DATABASE_RETRY_MS = 5_000;
  private static final long DATABASE_RETRY_MAX_MS = 60_000;
  private static final int ADOPTIONS_REMEMBERED = 1_000;

  private final HazelcastInstance hazelcast;
  private final ScheduledExecutorService scheduler;
  private final ObjectProvider<JournalAdoption> journalAdoption;
  private final ObjectProvider<LostPartitionReload> lostPartitionReload;
  // Steps the oldest member is taking, kept here until it says they are done: added by the
  // scheduler's thread, removed by the topic's event thread, all under this object's lock.
  // Adding a step and taking them over are synchronized: Hazelcast updates the member list before
  // it tells of the departure, so a step is either added before the takeover looks, or found here
  // to be this node's own to take.
  private final Set<String> awaitedAdoptions = new HashSet<>();
  private final Set<Integer> awaitedReloads = new HashSet<>();
  // The oldest often adopts a journal before this node's own wait for the promotions has ended, so
  // the done comes first: the adoptions heard done are remembered, the last 1,000 (departed members'
  // ids never recur), and not kept after. A reload heard done early is kept all the same: partitions
  // do recur, and a second loss must not be missed; a takeover takes such a reload again, which
  // enters nothing, and there are at most 271 of them.
  private final Set<String> adoptionsDone = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > ADOPTIONS_REMEMBERED;
    }
  });
  // The steps block on the database and the grid for as long as they take, thousands of tasks for
  // a reload: on a thread of their own, one step at a time, so that the duties thread goes on
  // renewing leases meanwhile. No thread while there is nothing to do.
  private final ThreadPoolExecutor recovery = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
      new LinkedBlockingQueue<>(), Worker.named("taskgrid-recovery-"), new ThreadPoolExecutor.DiscardPolicy());
  private ITopic<String> done;
  private UUID doneRegistration;

  DatabaseRecovery(HazelcastInstance hazelcast, ScheduledExecutorService scheduler,
      ObjectProvider<JournalAdoption> journalAdoption, ObjectProvider<LostPartitionReload> lostPartitionReload) {
    this.hazelcast = hazelcast;
    this.scheduler = scheduler;
    this.journalAdoption = journalAdoption;
    this.lostPartitionReload = lostPartitionReload;
  }

  void start() {
    done = hazelcast.getTopic(DONE_TOPIC);
    doneRegistration = done.addMessageListener(this::heardDone);
  }

  void stop() {
    if (doneRegistration != null) {
      done.removeMessageListener(doneRegistration);
    }
    recovery.shutdownNow();
  }

  /**
   * Enters what {@code gone} journaled and never entered, once its partitions have new owners
   * (only when the node persists tasks).
   */
  synchronized void adoptJournal(Member gone) {
    String member = gone.getUuid().toString();
    if (journalAdoption.getIfAvailable() == null) {
      return;
    }
    if (isOldest()) {
      adopt(member);
    } else if (!adoptionsDone.contains(member)) {
      awaitedAdoptions.add(member);
    }
  }

  /** Enters the unfinished tasks of partitions lost with every copy, once each has its new owner. */
  synchronized void reloadLost(Set<Integer> lost) {
    LostPartitionReload reload = lostPartitionReload.getIfAvailable();
    if (!isOldest()) {
      if (reload != null) {
        awaitedReloads.addAll(lost);
      }
    } else if (reload == null) {
      log.error("Partitions {} of the tasks were lost with every copy (their owner and backup died together), and "
          + "persistence is off: their tasks are gone", lost);
    } else {
      reload(lost, false);
    }
  }

  /** A member left: if this node has become the oldest, it takes the steps the oldest had not done. */
  synchronized void memberLeft() {
    if (!isOldest()) {
      return;
    }
    for (String member : List.copyOf(awaitedAdoptions)) {
      awaitedAdoptions.remove(member);
      log.info("Taking over the adoption of departed node {}'s journal from the node that was the oldest", member);
      adopt(member);
    }
    Set<Integer> lost = new HashSet<>(awaitedReloads);
    if (!lost.isEmpty()) {
      awaitedReloads.removeAll(lost);
      log.info("Taking over the reload of lost partitions {} from the node that was the oldest", lost);
      reload(lost, true);
    }
  }

  private void adopt(String member) {
    withRetries("read the tasks journaled by departed node " + member, () -> {
      JournalAdoption.Adopted adopted = journalAdoption.getObject().adopt(member);
      if (adopted.read() > 0) {
        log.info("Read {} pending tasks journaled by departed node {}; {} of them were not in memory and were entered",
            adopted.read(), member, adopted.entered());
      }
      done.publish(ADOPT + member);
    }, 1);
  }

  private void reload(Set<Integer> lost, boolean again) {
    withRetries("reload the tasks of lost partitions " + lost, () -> {
      int reloaded = lostPartitionReload.getObject().reload(lost, again);
      log.warn("Partitions {} of the tasks were lost with every copy (their owner and backup died together); entered "
          + "{} of their unfinished tasks again from the database", lost, reloaded);
      done.publish(RELOAD + lost.stream().map(String::valueOf).collect(Collectors.joining(",")));
    }, 1);
  }

  private synchronized void heardDone(Message<String> message) {
    String step = message.getMessageObject();
    if (step.startsWith(ADOPT)) {
      String member = step.substring(ADOPT.length());
      adoptionsDone.add(member);
      awaitedAdoptions.remove(member);
    } else if (step.startsWith(RELOAD)) {
      Arrays.stream(step.substring(RELOAD.length()).split(",")).map(Integer::valueOf).forEach(awaitedReloads::remove);
    }
  }

  /**
   * Runs a step that reads the database, on the recovery thread. The database may be away for a
   * while (a PostgreSQL failover takes a minute or two): the step is tried again until it works,
   * at most once a minute, while the node runs.
   */
  private void withRetries(String what, Runnable step, int attempt) {
    recovery.execute(() -> {
      if (!hazelcast.getLifecycleService().isRunning()) {
        return;
      }
      try {
        step.run();
      } catch (RuntimeException e) {
        long delay = Math.min(DATABASE_RETRY_MS * attempt, DATABASE_RETRY_MAX_MS);
        log.warn("Could not {} (attempt {}), trying again in {} s: {}", what, attempt, delay / 1000, e.toString());
        scheduler.schedule(() -> withRetries(what, step, attempt + 1), delay, TimeUnit.MILLISECONDS);
      }
    });
  }

  /** The departed members whose adoption this node keeps for a takeover; for tests. */
  synchronized Set<String> keptAdoptions() {
    return Set.copyOf(awaitedAdoptions);
  }

  private boolean isOldest() {
    return hazelcast.getCluster().getMembers().iterator().next().localMember();
  }
}
