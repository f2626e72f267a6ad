package io.ipsecd.dataplane;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Lets the control thread learn when a worker no longer holds references from an old table
 * snapshot, so an SA taken out of the tables can be destroyed without a lock on the packet path
 * (the idea of RCU's grace period). The worker brackets each unit of work (a batch, a packet) with
 * {@link #enter()}/{@link #exit()}, reading the tables only inside; the epoch is odd while inside.
 *
 * <p>Why it is enough: the control thread publishes the new tables (volatile write) and then reads
 * the epoch (volatile read). If the worker was outside, its next {@code enter()} comes later in the
 * synchronisation order, so it reads the new tables. If it was inside, waiting for the epoch to
 * change waits for that unit of work to finish.
 */
final class Quiescence {
  private volatile long epoch;

  /** Worker only. */
  void enter() {
    epoch = epoch + 1;
  }

  /** Worker only. */
  void exit() {
    epoch = epoch + 1;
  }

  /** Waits until the worker has left the unit of work it is in, if any; false on timeout. */
  boolean awaitGracePeriod(long timeoutNanos) {
    long seen = epoch;
    if ((seen & 1) == 0) {
      return true;
    }
    long deadline = System.nanoTime() + timeoutNanos;
    while (epoch == seen) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      LockSupport.parkNanos(TimeUnit.MICROSECONDS.toNanos(20));
    }
    return true;
  }
}
