package io.taskgrid.node.api;

import io.taskgrid.grid.TaskStore;
import io.taskgrid.model.TaskStatus;
import io.taskgrid.node.dispatch.LoadBoard;
import io.taskgrid.node.dispatch.NodeStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The cluster at a glance: its nodes and their load, and how many tasks are in each status. */
@RestController
class ClusterController {
  private final LoadBoard board;
  private final TaskStore store;

  ClusterController(LoadBoard board, TaskStore store) {
    this.board = board;
    this.store = store;
  }

  /** One node of the cluster; {@code memoryFull} while its heap stops new tasks (taskgrid.memory.refuse-above). */
  record Node(String id, String address, String httpUrl, int capacity, int running, int pendingOwned,
      boolean memoryFull) {
    static Node of(NodeStatus s) {
      return new Node(s.id(), s.address(), s.httpUrl(), s.capacity(), s.running(), s.pendingOwned(), s.memoryFull());
    }
  }

  /** The answer of GET /api/cluster. */
  record ClusterView(List<Node> nodes, Map<TaskStatus, Long> tasks) {}

  @GetMapping("/api/cluster")
  ClusterView cluster() {
    List<Node> nodes = board.nodes().stream().map(Node::of).sorted(Comparator.comparing(Node::address)).toList();
    return new ClusterView(nodes, store.countByStatus());
  }
}
