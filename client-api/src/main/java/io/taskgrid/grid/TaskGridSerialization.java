package io.taskgrid.grid;

import com.hazelcast.config.SerializationConfig;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import io.taskgrid.model.TaskStatus;
import java.io.IOException;
import java.util.UUID;

/**
 * The serialization factory of everything TaskGrid puts on the wire or in the map. Members and
 * clients both register it ({@link #register}); IdentifiedDataSerializable is the fastest of
 * Hazelcast's formats and needs no reflection.
 */
public final class TaskGridSerialization implements DataSerializableFactory {
  public static final int FACTORY_ID = 7301;

  static final int TASK_RECORD = 1;
  static final int REPLY = 2;
  static final int SUBMIT = 3;
  static final int CLAIM = 4;
  static final int COMPLETE = 5;
  static final int FAIL = 6;
  static final int RENEW = 7;
  static final int HAND_BACK = 8;
  static final int REQUEUE_LOST = 9;
  static final int CANCEL = 10;
  static final int STATUS_COUNTER = 12;
  static final int STATUS_IN = 13;
  static final int FINISHED_BEFORE = 14;
  static final int APPLY_REPORTS = 15;
  static final int WITHOUT_PAYLOAD = 16;
  static final int SUBMIT_ON_MEMBER = 17;
  static final int REPLAY_ON_BACKUP = 19;
  static final int PARTITION_BATCH = 20;
  static final int FIRST_IDS = 21;
  static final int REMOVE_FINISHED = 22;
  static final int SPEC_FINGERPRINTS = 23;
  static final int LIST_ON_MEMBER = 24;
  static final int LISTED_PAGE = 25;
  static final int WAITERS = 26;
  static final int COUNT_WAIT = 27;
  static final int WAITED_BY = 28;
  static final int REENTER_FROM_DATABASE = 29;

  /** Writes a status that may be null (any status), as {@link #readStatus} reads it. */
  static void writeStatus(ObjectDataOutput out, TaskStatus status) throws IOException {
    out.writeInt(status == null ? -1 : status.ordinal());
  }

  /** Reads what {@link #writeStatus} wrote. */
  static TaskStatus readStatus(ObjectDataInput in) throws IOException {
    int ordinal = in.readInt();
    return ordinal < 0 ? null : TaskStatus.ofOrdinal(ordinal);
  }

  /** Writes a member's id, as {@link #readUuid} reads it. */
  static void writeUuid(ObjectDataOutput out, UUID uuid) throws IOException {
    out.writeLong(uuid.getMostSignificantBits());
    out.writeLong(uuid.getLeastSignificantBits());
  }

  /** Reads what {@link #writeUuid} wrote. */
  static UUID readUuid(ObjectDataInput in) throws IOException {
    return new UUID(in.readLong(), in.readLong());
  }

  /** Adds this factory to a member's or a client's serialization config. */
  public static SerializationConfig register(SerializationConfig config) {
    return config.addDataSerializableFactory(FACTORY_ID, new TaskGridSerialization());
  }

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case TASK_RECORD -> new TaskRecord();
      case REPLY -> new Reply();
      case SUBMIT -> new SubmitTask();
      case CLAIM -> new ClaimTask();
      case COMPLETE -> new CompleteAttempt();
      case FAIL -> new FailAttempt();
      case RENEW -> new RenewLease();
      case HAND_BACK -> new HandBack();
      case REQUEUE_LOST -> new RequeueLost();
      case CANCEL -> new CancelTask();
      case STATUS_COUNTER -> new StatusCounter();
      case STATUS_IN -> new StatusIn();
      case FINISHED_BEFORE -> new FinishedBefore();
      case APPLY_REPORTS -> new ApplyReports();
      case WITHOUT_PAYLOAD -> new WithoutPayload();
      case SUBMIT_ON_MEMBER -> new SubmitOnMember();
      case REPLAY_ON_BACKUP -> new ReplayOnBackup<>();
      case PARTITION_BATCH -> new PartitionBatchOperation();
      case FIRST_IDS -> new FirstIds();
      case REMOVE_FINISHED -> new RemoveFinished();
      case SPEC_FINGERPRINTS -> new SpecFingerprints();
      case LIST_ON_MEMBER -> new ListOnMember();
      case LISTED_PAGE -> new ListedPage();
      case WAITERS -> new Waiters();
      case COUNT_WAIT -> new CountWait();
      case WAITED_BY -> new WaitedBy();
      case REENTER_FROM_DATABASE -> new ReenterFromDatabase();
      default -> throw new IllegalArgumentException("unknown TaskGrid type id " + typeId);
    };
  }
}
