package io.ipsecd.dataplane;

/**
 * The packets a TRAP policy holds while IKE negotiates its SA: a small ring of copies, owned by the
 * outbound worker alone. Bounded (the "small bounded queue"; strongSwan's libipsec queue is
 * not), so a flood while IKE is slow costs {@link #CAPACITY} buffers, and the rest are dropped and
 * counted. Buffers are allocated on first use, once per slot, not per packet.
 */
final class TrapQueue {
  static final int CAPACITY = 16;
  /** How long after an acquire another packet may raise one again, if the SA still isn't there. */
  static final long ACQUIRE_INTERVAL_NANOS = 2_000_000_000L;

  private final byte[][] packets = new byte[CAPACITY][];
  private final int[] lengths = new int[CAPACITY];
  private int head;
  private int size;
  private long lastAcquireNanos;
  private boolean acquired;

  boolean isEmpty() {
    return size == 0;
  }

  int size() {
    return size;
  }

  /** Copies the packet in; false when full. */
  boolean offer(byte[] buf, int off, int len) {
    if (size == CAPACITY) {
      return false;
    }
    int tail = (head + size) % CAPACITY;
    if (packets[tail] == null || packets[tail].length < len) {
      packets[tail] = new byte[Math.max(len, 1500)];
    }
    System.arraycopy(buf, off, packets[tail], 0, len);
    lengths[tail] = len;
    size++;
    return true;
  }

  /** The oldest packet's buffer; its length is {@link #peekLength()}. */
  byte[] peek() {
    return packets[head];
  }

  int peekLength() {
    return lengths[head];
  }

  void remove() {
    java.util.Arrays.fill(packets[head], 0, lengths[head], (byte) 0); // held plaintext does not linger
    head = (head + 1) % CAPACITY;
    size--;
  }

  /** True when an acquire should go out now: the first time, then at most every interval. */
  boolean acquireDue(long nowNanos) {
    if (!acquired || nowNanos - lastAcquireNanos >= ACQUIRE_INTERVAL_NANOS) {
      acquired = true;
      lastAcquireNanos = nowNanos;
      return true;
    }
    return false;
  }
}
