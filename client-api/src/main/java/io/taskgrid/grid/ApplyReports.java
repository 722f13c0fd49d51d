package io.taskgrid.grid;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import io.taskgrid.grid.Reply.Outcome;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attempt reports of one partition in one operation: each key gets its own {@link
 * AttemptReport}, fenced as if sent alone. A node sends the outcomes that finished meanwhile this
 * way, so a busy node pays one operation (and one backup) per partition, not one per task. The
 * reply of an applied report carries no task: the sender only needs to know it landed.
 */
public final class ApplyReports extends TaskProcessor<Reply> {
  private static final long serialVersionUID = 1L;

  private Map<String, AttemptReport> reports;

  public ApplyReports() {}

  /** Reports keyed by task id; all the ids must belong to one partition. */
  public ApplyReports(Map<String, AttemptReport> reports) {
    this.reports = reports;
  }

  @Override
  protected Reply change(Map.Entry<String, TaskRecord> entry) {
    AttemptReport report = reports.get(entry.getKey());
    if (report == null) {
      return new Reply(Outcome.NOT_FOUND, null);
    }
    Reply reply = report.change(entry);
    return reply.outcome() == Outcome.APPLIED ? new Reply(Outcome.APPLIED, null) : reply;
  }

  @Override
  public int getClassId() {
    return TaskGridSerialization.APPLY_REPORTS;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(reports.size());
    for (Map.Entry<String, AttemptReport> e : reports.entrySet()) {
      out.writeString(e.getKey());
      out.writeObject(e.getValue());
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int size = in.readInt();
    reports = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      String id = in.readString();
      reports.put(id, in.readObject());
    }
  }
}
