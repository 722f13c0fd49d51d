package io.taskgrid.model;

/**
 * The answer to one submission: what happened, and the task as stored (for {@link
 * SubmitOutcome#CONFLICT} the task that was already there).
 */
public record SubmitResult(SubmitOutcome outcome, TaskView task) {}
