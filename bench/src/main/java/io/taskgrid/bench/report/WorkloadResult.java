package io.taskgrid.bench.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What one workload measured: its figures, notes in words, and raw data for the JSON report. */
public final class WorkloadResult {
  private final String id;
  private final String title;
  private final List<Figure> figures = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final Map<String, Object> data = new LinkedHashMap<>();

  public WorkloadResult(String id, String title) {
    this.id = id;
    this.title = title;
  }

  public WorkloadResult add(Figure figure) {
    figures.add(figure);
    return this;
  }

  public WorkloadResult note(String text) {
    notes.add(text);
    return this;
  }

  public WorkloadResult data(String key, Object value) {
    data.put(key, value);
    return this;
  }

  public String getId() {
    return id;
  }

  public String getTitle() {
    return title;
  }

  public List<Figure> getFigures() {
    return figures;
  }

  public List<String> getNotes() {
    return notes;
  }

  public Map<String, Object> getData() {
    return data;
  }

  /** Targets this workload missed. */
  public long missed() {
    return figures.stream().filter(f -> Boolean.FALSE.equals(f.met())).count();
  }
}
