package io.taskgrid.model;

import java.util.List;

/**
 * One page of a task listing, ordered by id.
 *
 * @param items the tasks on this page
 * @param nextCursor pass it back for the next page; null on the last page
 */
public record TaskPage(List<TaskView> items, String nextCursor) {}
