package io.ipsecd.dataplane;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.List;

/**
 * Drop counters of one worker thread: single writer, so a plain increment published with an opaque
 * store (no atomic read-modify-write on the packet path); readers on other threads sum the workers.
 */
final class DropCounters {
  enum Reason {
    NO_POLICY, NO_SA, TRAP_QUEUE_FULL, MALFORMED_INNER, ENCRYPT_REFUSED, TOO_BIG, SEND_FAILED, UNKNOWN_SPI,
    WRONG_TRANSPORT, DECRYPT_FAILED, POLICY_MISMATCH, TUN_WRITE_FAILED, EVENTS_LOST
  }

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
  private static final int PAD = 8; // keep two workers' counters off one cache line
  private final long[] slots = new long[PAD + Reason.values().length + PAD];

  void count(Reason reason) {
    int i = PAD + reason.ordinal();
    SLOT.setOpaque(slots, i, slots[i] + 1);
  }

  long read(Reason reason) {
    return (long) SLOT.getOpaque(slots, PAD + reason.ordinal());
  }

  static DropStats sum(List<DropCounters> all, long eventsLost) {
    long[] t = new long[Reason.values().length];
    for (DropCounters c : all) {
      for (Reason r : Reason.values()) {
        t[r.ordinal()] += c.read(r);
      }
    }
    return new DropStats(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7], t[8], t[9], t[10], t[11], eventsLost);
  }
}
