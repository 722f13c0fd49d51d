package io.taskgrid.node.hazelcast;

import com.hazelcast.config.ClasspathYamlConfig;
import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemYamlConfig;
import com.hazelcast.config.TcpIpConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.spring.context.SpringManagedContext;
import io.taskgrid.grid.TaskGridSerialization;
import io.taskgrid.node.config.TaskGridProperties;
import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

  @Bean(destroyMethod = "shutdown")
  public HazelcastInstance hazelcastInstance(TaskGridProperties properties, ApplicationContext context)
      throws FileNotFoundException {
    return Hazelcast.newHazelcastInstance(memberConfig(properties.hazelcast(), context));
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
