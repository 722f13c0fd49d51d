package io.taskgrid.node.hazelcast;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.MapStoreConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spring.context.SpringManagedContext;
import io.taskgrid.grid.TaskArchive;
import io.taskgrid.grid.TaskGridSerialization;
import io.taskgrid.grid.TaskStore;
import io.taskgrid.grid.WriteThrough;
import io.taskgrid.node.config.TaskGridProperties;
import io.taskgrid.node.persistence.TaskMapStore;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts this node's Hazelcast member from hazelcast.yaml plus the overrides in {@code
 * taskgrid.hazelcast.*}, with TaskGrid's serialization and Spring-aware executor tasks.
 */
@Configuration(proxyBeanMethods = false)
public class HazelcastConfiguration {
  private static final Logger log = LoggerFactory.getLogger(HazelcastConfiguration.class);

  /**
   * Hazelcast's IO selector mode, a JVM-wide system property. With the default mode, while a peer
   * is frozen (SIGSTOP, a paused VM) an outbound IO thread of 5.7.0 spins and starves the other
   * connections it serves; on 2 cores the two healthy members then missed each other's heartbeats
   * for 5 s and split (reproduced 4 times in 4; with this mode 0 in 3). This mode needs
   * write-through and selection-key wake-up off; saying so explicitly keeps Hazelcast from warning.
   * Each is kept if set explicitly.
   */
  static final Map<String, String> IO_SYSTEM_PROPERTIES = Map.of(
      "hazelcast.io.selectorMode", "selectwithfix",
      "hazelcast.io.write.through", "false",
      "hazelcast.io.selectionKeyWakeupEnabled", "false");

  @Bean(destroyMethod = "shutdown")
  public HazelcastInstance hazelcastInstance(TaskGridProperties properties, ApplicationContext context,
      ObjectProvider<TaskMapStore> mapStore) throws FileNotFoundException {
    IO_SYSTEM_PROPERTIES.forEach((key, value) -> {
      if (System.getProperty(key) == null) {
        System.setProperty(key, value);
      }
    });
    Config config = memberConfig(properties.hazelcast(), context);
    // hazelcast.yaml declares the task map's map-store (write-behind settings); the node supplies
    // the implementation, which needs the database, or turns it off with taskgrid.persistence.
    MapStoreConfig storeConfig = config.getMapConfig(TaskStore.TASKS_MAP).getMapStoreConfig();
    TaskMapStore store = mapStore.getIfAvailable();
    if (store == null) {
      storeConfig.setEnabled(false);
    } else {
      storeConfig.setEnabled(true).setImplementation(store);
      // Processors that write through (a cancel) find the store here, from the member's start on.
      config.getUserContext().put(WriteThrough.CONTEXT_KEY, store);
      // Listings read the finished tasks that have left memory from it.
      config.getUserContext().put(TaskArchive.CONTEXT_KEY, store);
      if (properties.persistence().writeDelaySeconds() != null) {
        storeConfig.setWriteDelaySeconds(properties.persistence().writeDelaySeconds());
      }
    }
    return Hazelcast.newHazelcastInstance(config);
  }

  static Config memberConfig(TaskGridProperties.Hazelcast settings, ApplicationContext context)
      throws FileNotFoundException {
    Path file = Path.of(settings.config());
    Config config;
    if (Files.isRegularFile(file)) {
      log.info("Loading the cluster config from {}", file.toAbsolutePath());
      config = new FileSystemYamlConfig(file.toFile());
    } else {
      log.info("No {} here; using the cluster config inside the jar", file);
      config = new ClasspathYamlConfig("hazelcast.yaml");
    }
    // Several nodes may share a JVM (tests): each instance needs a name of its own.
    config.setInstanceName("taskgrid-" + UUID.randomUUID());
    if (settings.clusterName() != null) {
      config.setClusterName(settings.clusterName());
    }
    if (settings.port() != null) {
      config.getNetworkConfig().setPort(settings.port()).setPortAutoIncrement(false);
    }
    if (settings.members() != null && !settings.members().isEmpty()) {
      TcpIpConfig tcpIp = config.getNetworkConfig().getJoin().getTcpIpConfig();
      tcpIp.setEnabled(true).setMembers(settings.members());
    }
    if (settings.bindInterface() != null) {
      config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface(settings.bindInterface());
    }
    if (settings.publicAddress() != null) {
      config.getNetworkConfig().setPublicAddress(settings.publicAddress());
    }
    if (settings.properties() != null) {
      settings.properties().forEach(config::setProperty);
    }
    TaskGridSerialization.register(config.getSerializationConfig());
    NodeSerialization.register(config.getSerializationConfig());
    // Lets tasks sent to this member (e.g. a hand-over request) reach this node's Spring beans.
    config.setManagedContext(new SpringManagedContext(context));
    return config;
  }
}
