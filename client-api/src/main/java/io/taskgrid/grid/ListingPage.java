package io.taskgrid.grid;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Chooses a listing's page from the two places tasks are: memory, which holds every unfinished
 * task and the finished ones for their residency ({@link FirstIds}), and the archive, which holds
 * every finished task until its retention ({@link TaskArchive}). Each answered its first ids after
 * the cursor, in id order; a task in both is taken from memory, which is never behind.
 *
 * <p>A source that answered all it was allowed to (a full page, or its byte budget) may have more
 * after its last id, so the page stops at the lowest such id: below it, both sources have said
 * everything. The page also stops at {@code limit} tasks, and before the task that would take its
 * views over {@code maxBytes} (one task at least), so that a page of tasks with results near 1 MiB
 * each is a few MiB, not a GiB. A page can thus hold fewer than {@code limit} tasks and still have
 * a next one: a caller goes on while {@code next} is not null.
 *
 * @param ids the page's ids, in order
 * @param inMemory those of them to read from memory
 * @param archived the others, as the archive answered them
 * @param next the cursor of the next page, or null when this is the last
 */
record ListingPage(List<String> ids, Set<String> inMemory, Map<String, TaskRecord> archived, String next) {

  static ListingPage choose(List<FirstIds.Found> memory, List<TaskRecord> archive, int limit, long maxBytes) {
    String bound = null;
    if (memory.size() == limit) {
      bound = memory.get(memory.size() - 1).id();
    }
    long archivedBytes = archive.stream().mapToLong(TaskRecord::viewBytes).sum();
    if (!archive.isEmpty() && (archive.size() == limit || archivedBytes >= maxBytes)) {
      String last = archive.get(archive.size() - 1).getId();
      bound = bound == null || last.compareTo(bound) < 0 ? last : bound;
    }
    TreeMap<String, Integer> sizes = new TreeMap<>();
    Set<String> inMemory = new HashSet<>();
    for (FirstIds.Found found : memory) {
      if (bound == null || found.id().compareTo(bound) <= 0) {
        sizes.put(found.id(), found.viewBytes());
        inMemory.add(found.id());
      }
    }
    Map<String, TaskRecord> archived = new HashMap<>();
    for (TaskRecord task : archive) {
      if ((bound == null || task.getId().compareTo(bound) <= 0) && !inMemory.contains(task.getId())) {
        sizes.put(task.getId(), task.viewBytes());
        archived.put(task.getId(), task);
      }
    }
    List<String> ids = new ArrayList<>();
    String next = bound;
    long bytes = 0;
    for (Map.Entry<String, Integer> task : sizes.entrySet()) {
      if (ids.size() == limit || (!ids.isEmpty() && bytes + task.getValue() > maxBytes)) {
        next = ids.get(ids.size() - 1);
        break;
      }
      ids.add(task.getKey());
      bytes += task.getValue();
    }
    Set<String> pageInMemory = new HashSet<>();
    Map<String, TaskRecord> pageArchived = new HashMap<>();
    for (String id : ids) {
      if (inMemory.contains(id)) {
        pageInMemory.add(id);
      } else {
        pageArchived.put(id, archived.get(id));
      }
    }
    return new ListingPage(ids, pageInMemory, pageArchived, next);
  }
}
