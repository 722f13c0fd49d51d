package io.taskgrid.node.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.hazelcast.core.HazelcastInstance;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.node.config.TaskGridProperties;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.springframework.beans.factory.annotation.Qualifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The task database, when {@code taskgrid.persistence.enabled}: a connection pool, the schema
 * brought up to date by Flyway at start, and the MapStore that the Hazelcast member plugs into
 * the task map.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "taskgrid.persistence.enabled", matchIfMissing = true)
public class PersistenceConfiguration {
  private static final Logger log = LoggerFactory.getLogger(PersistenceConfiguration.class);
  private static final String SQLITE = "jdbc:sqlite:";

  @Bean(destroyMethod = "close")
  public HikariDataSource taskDataSource(TaskGridProperties properties) {
    TaskGridProperties.Persistence settings = properties.persistence();
    HikariConfig config = new HikariConfig();
    config.setPoolName("taskgrid-db");
    config.setJdbcUrl(settings.url());
    config.setUsername(settings.username());
    config.setPassword(settings.password());
    config.setMaximumPoolSize(settings.poolSize());
    // Fail fast while the database is away: a submission then answers 503 within seconds.
    config.setConnectionTimeout(2_000);
    if (settings.url().startsWith(SQLITE)) {
      createParentFolder(settings.url(), settings.url().substring(SQLITE.length()));
      // WAL: readers never block the writer, and several node JVMs on one machine share the file.
      // NORMAL: a commit is in the OS before it returns, so it survives kill -9 of any process.
      config.addDataSourceProperty("journal_mode", "WAL");
      config.addDataSourceProperty("synchronous", "NORMAL");
      config.addDataSourceProperty("busy_timeout", "10000");
      // Checkpoint the WAL into the database file every 10,000 pages (40 MB) instead of 1,000: the
      // pages a burst rewrites are copied once, and fewer commits pay for a checkpoint.
      config.addDataSourceProperty("wal_autocheckpoint", "10000");
    }
    log.info("Tasks are persisted to {}", settings.url());
    try {
      // Hikari opens a first connection now: a wrong URL, password or unreachable server fails here.
      return new HikariDataSource(config);
    } catch (RuntimeException e) {
      throw new TaskDatabaseStartupException(settings.url(), e);
    }
  }

  @Bean
  public TaskMapStore taskMapStore(HikariDataSource taskDataSource, TaskGridProperties properties,
      MeterRegistry meters) {
    String vendor = properties.persistence().url().startsWith(SQLITE) ? "sqlite" : "postgresql";
    try {
      Flyway.configure()
          .dataSource(taskDataSource)
          .locations("classpath:db/migration/" + vendor)
          .load()
          .migrate();
    } catch (RuntimeException e) {
      throw new TaskDatabaseStartupException(properties.persistence().url(), e);
    }
    return new TaskMapStore(taskDataSource, vendor.equals("sqlite"), meters);
  }

  /** New tasks are written through it before they are acknowledged, many callers to a transaction. */
  @Bean
  public GroupCommitJournal submissionJournal(TaskMapStore taskMapStore, HazelcastInstance hazelcast,
      MeterRegistry meters) {
    // The map store is built before the member (the member's config holds it); from here on its
    // journal's rows name the member, for JournalAdoption when it leaves.
    taskMapStore.journalAs(() -> hazelcast.getCluster().getLocalMember().getUuid().toString());
    return new GroupCommitJournal(taskMapStore, meters);
  }

  @Bean
  Reentry reentry(HazelcastInstance hazelcast, TaskStore store, Clock clock) {
    return new Reentry(hazelcast, store, clock);
  }

  @Bean
  JournalAdoption journalAdoption(TaskMapStore taskMapStore, Reentry reentry) {
    return new JournalAdoption(taskMapStore, reentry);
  }

  @Bean
  LostPartitionReload lostPartitionReload(HazelcastInstance hazelcast, TaskMapStore taskMapStore, Reentry reentry) {
    return new LostPartitionReload(hazelcast, taskMapStore, reentry);
  }

  /**
   * {@code taskgrid.store.loads}: task keys this member's map read from the database — tasks asked
   * for after they left memory, and loads that could not be answered from what a submission carries.
   */
  @Bean
  MeterBinder databaseLoads(TaskMapStore mapStore) {
    return registry -> FunctionCounter.builder("taskgrid.store.loads", mapStore, TaskMapStore::databaseLoads)
        .description("task keys read from the database by the map's loads")
        .register(registry);
  }

  /**
   * {@code taskgrid.store.unwritten}: the tasks this member owns whose latest change waits for
   * write-behind — what a crash of the whole cluster would take back to the state last written
   * (a submission is always written before it is acknowledged).
   */
  @Bean
  MeterBinder unwrittenTaskChanges(TaskStore store) {
    return registry -> Gauge.builder("taskgrid.store.unwritten", store,
            s -> s.map().getLocalMapStats().getDirtyEntryCount())
        .description("tasks owned here whose latest change is not yet written to the database")
        .register(registry);
  }

  @Bean
  FinishedTaskSweeper finishedTaskSweeper(HazelcastInstance hazelcast, TaskStore store, TaskMapStore taskMapStore,
      @Qualifier("taskgridScheduler") ScheduledExecutorService scheduler, Clock clock, TaskGridProperties properties) {
    return new FinishedTaskSweeper(hazelcast, store, taskMapStore, scheduler, clock, properties);
  }

  private static void createParentFolder(String url, String file) {
    Path parent = Path.of(file.contains("?") ? file.substring(0, file.indexOf('?')) : file).toAbsolutePath().getParent();
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new TaskDatabaseStartupException(url, e);
    }
  }
}
