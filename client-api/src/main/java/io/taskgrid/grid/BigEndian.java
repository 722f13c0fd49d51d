package io.taskgrid.grid;

/**
 * Ints and longs in and out of a byte array, big-endian: the layout of {@link java.io.DataOutput}
 * and of Hazelcast's default byte order, written without a call per byte. Hazelcast's own
 * {@code writeLong} goes through a byte-access strategy interface per byte, which the C1 JIT the
 * nodes run with on 2 CPUs does not inline; a task record has fifteen such fields and is
 * (de)serialized several times per state change (docs/performance.md).
 */
final class BigEndian {
  private BigEndian() {}

  static void putInt(byte[] b, int at, int v) {
    b[at] = (byte) (v >>> 24);
    b[at + 1] = (byte) (v >>> 16);
    b[at + 2] = (byte) (v >>> 8);
    b[at + 3] = (byte) v;
  }

  static void putLong(byte[] b, int at, long v) {
    putInt(b, at, (int) (v >>> 32));
    putInt(b, at + 4, (int) v);
  }

  static int getInt(byte[] b, int at) {
    return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
  }

  static long getLong(byte[] b, int at) {
    return (long) getInt(b, at) << 32 | (getInt(b, at + 4) & 0xffffffffL);
  }
}
