package io.taskgrid.bench.chaos;

import io.taskgrid.bench.cluster.NodeCluster;

/**
 * What a chaos run's faults act on: the cluster, its database, and the network between its nodes
 * ({@code network} null when the run makes no splits).
 */
record ChaosTarget(NodeCluster cluster, ChaosDatabase database, NetworkSplit network) {}
