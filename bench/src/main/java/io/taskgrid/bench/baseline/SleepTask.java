package io.taskgrid.bench.baseline;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import java.io.Serializable;
import java.util.UUID;
import java.util.concurrent.Callable;

/**
 * The baselines' timed task: records each start in a map (so a re-run after a member dies shows),
 * then sleeps, as TaskGrid's {@code sleep} handler does.
 */
public final class SleepTask implements Callable<String>, Serializable, HazelcastInstanceAware {
  private static final long serialVersionUID = 1L;

  private final String id;
  private final long millis;
  private transient HazelcastInstance hazelcast;

  public SleepTask(String id, long millis) {
    this.id = id;
    this.millis = millis;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance hazelcast) {
    this.hazelcast = hazelcast;
  }

  @Override
  public String call() throws InterruptedException {
    // Key: task id and a random suffix, value: start time; one entry per start of the task.
    hazelcast.getMap(BaselineMember.STARTS_MAP).set(id + "/" + UUID.randomUUID(), System.currentTimeMillis());
    Thread.sleep(millis);
    return "slept " + millis + " ms";
  }
}
