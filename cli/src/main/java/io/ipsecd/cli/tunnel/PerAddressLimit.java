package io.ipsecd.cli.tunnel;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one event per source address through per interval, for signals from the data plane that a
 * flood could repeat at line rate (ESP for an unknown SPI). Thread-safe; forgets everything when
 * it tracks too many addresses, so strangers cannot grow it.
 */
final class PerAddressLimit {
  private static final int MAX_ADDRESSES = 1024;

  private final long intervalNanos;
  private final ConcurrentHashMap<InetAddress, Long> last = new ConcurrentHashMap<>();

  PerAddressLimit(long intervalNanos) {
    this.intervalNanos = intervalNanos;
  }

  /** Whether an event from {@code from} at {@code nowNanos} (System.nanoTime) may pass. */
  boolean allow(InetAddress from, long nowNanos) {
    Long before = last.get(from);
    if (before != null && nowNanos - before < intervalNanos) {
      return false;
    }
    if (last.size() >= MAX_ADDRESSES) {
      last.clear();
    }
    return before == null ? last.putIfAbsent(from, nowNanos) == null : last.replace(from, before, nowNanos);
  }
}
