package io.ipsecd.dataplane.spd;

import io.ipsecd.esp.TrafficSelector;
import java.math.BigInteger;

/**
 * A {@link TrafficSelector} compiled for the per-packet path: the address range as unsigned
 * 64-bit halves, compared against a {@link FlowKey} with no allocation (TrafficSelector's own
 * {@code contains} takes an {@code InetAddress}).
 */
final class SelectorMatcher {
  final TrafficSelector selector;
  private final boolean ipv6;
  private final long startHigh, startLow, endHigh, endLow;
  private final int protocol, startPort, endPort;
  /** Number of addresses covered; the primary "how specific" measure. */
  final BigInteger addressCount;

  SelectorMatcher(TrafficSelector selector) {
    this.selector = selector;
    this.ipv6 = !selector.ipv4();
    byte[] start = selector.startAddress().getAddress();
    byte[] end = selector.endAddress().getAddress();
    if (ipv6) {
      startHigh = FlowKey.u64(start, 0);
      startLow = FlowKey.u64(start, 8);
      endHigh = FlowKey.u64(end, 0);
      endLow = FlowKey.u64(end, 8);
    } else {
      startHigh = 0;
      endHigh = 0;
      startLow = FlowKey.u32(start, 0);
      endLow = FlowKey.u32(end, 0);
    }
    this.protocol = selector.protocol();
    this.startPort = selector.startPort();
    this.endPort = selector.endPort();
    this.addressCount = new BigInteger(1, end).subtract(new BigInteger(1, start)).add(BigInteger.ONE);
  }

  boolean matchesSource(FlowKey key) {
    return matches(key, key.srcHigh, key.srcLow, key.srcPort);
  }

  boolean matchesDestination(FlowKey key) {
    return matches(key, key.dstHigh, key.dstLow, key.dstPort);
  }

  private boolean matches(FlowKey key, long high, long low, int port) {
    return key.ipv6 == ipv6
        && compare(startHigh, startLow, high, low) <= 0 && compare(high, low, endHigh, endLow) <= 0
        && (protocol == TrafficSelector.ANY_PROTOCOL || protocol == key.protocol)
        && startPort <= port && port <= endPort;
  }

  private static int compare(long aHigh, long aLow, long bHigh, long bLow) {
    int c = Long.compareUnsigned(aHigh, bHigh);
    return c != 0 ? c : Long.compareUnsigned(aLow, bLow);
  }

  boolean anyProtocol() {
    return protocol == TrafficSelector.ANY_PROTOCOL;
  }

  int portSpan() {
    return endPort - startPort;
  }
}
