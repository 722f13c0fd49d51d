package io.taskgrid.model;

import java.time.Instant;

/**
 * A snapshot of one task as the grid holds it. The payload is not repeated here, only its size.
 *
 * @param id the task's id
 * @param type the handler type
 * @param priority 0..255, higher runs first
 * @param deadline the deadline, or null
 * @param status where the task is in its lifecycle
 * @param attempts attempts counted so far (lost attempts count; graceful hand-backs do not)
 * @param maxAttempts attempts allowed before the task fails for good
 * @param node id of the node running it, or that ran it last; null before the first start
 * @param submittedAt when the grid accepted it
 * @param startedAt when the latest attempt started, or null
 * @param finishedAt when it reached a terminal status, or null
 * @param result the handler's result once COMPLETED
 * @param error the latest error (of a failed or lost attempt, or why it FAILED)
 * @param payloadBytes size of the payload in UTF-8 bytes
 */
public record TaskView(
    String id,
    String type,
    int priority,
    Instant deadline,
    TaskStatus status,
    int attempts,
    int maxAttempts,
    String node,
    Instant submittedAt,
    Instant startedAt,
    Instant finishedAt,
    String result,
    String error,
    int payloadBytes) {}
