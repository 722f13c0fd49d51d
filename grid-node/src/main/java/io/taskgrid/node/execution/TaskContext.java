package io.taskgrid.node.execution;

/**
 * What a handler gets for one attempt.
 *
 * @param taskId the task's id
 * @param type its type
 * @param payload the payload as submitted
 * @param attempt which attempt this is, from 1
 * @param maxAttempts attempts allowed in all
 */
public record TaskContext(String taskId, String type, String payload, int attempt, int maxAttempts) {}
