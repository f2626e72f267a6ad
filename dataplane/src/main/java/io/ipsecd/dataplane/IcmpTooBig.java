package io.ipsecd.dataplane;

/**
 * Builds the ICMP error that tells a sender its packet is too big for the tunnel: IPv4
 * "fragmentation needed" (RFC 792/1191, type 3 code 4, with the next-hop MTU) for a packet with DF
 * set, or ICMPv6 "Packet Too Big" (RFC 4443 §3.2). The error is written into the TUN as if it came
 * from the packet's destination, so reverse-path filtering accepts it and the sender's kernel
 * lowers its path MTU for exactly that destination. Pure byte work into a caller's buffer.
 */
final class IcmpTooBig {
  private static final int IPV6_MIN_MTU = 1280;

  private IcmpTooBig() {}

  /**
   * Writes the error for the oversize packet {@code pkt[off, off + len)} to {@code out[outOff...]}
   * and returns its length, or 0 when none is due: IPv4 without DF (the outer layer fragments),
   * an ICMP error itself (never answer an error with an error), or not IP at all.
   */
  static int build(byte[] pkt, int off, int len, int mtu, byte[] out, int outOff) {
    if (len < 1) {
      return 0;
    }
    return switch ((pkt[off] & 0xF0) >>> 4) {
      case 4 -> ipv4(pkt, off, len, mtu, out, outOff);
      case 6 -> ipv6(pkt, off, len, mtu, out, outOff);
      default -> 0;
    };
  }

  private static int ipv4(byte[] pkt, int off, int len, int mtu, byte[] out, int o) {
    int ihl = (pkt[off] & 0x0F) * 4;
    boolean dontFragment = (pkt[off + 6] & 0x40) != 0;
    if (len < 20 || ihl < 20 || ihl > len || !dontFragment) {
      return 0;
    }
    if ((pkt[off + 9] & 0xFF) == 1 && len >= ihl + 1 && isIcmpv4Error(pkt[off + ihl] & 0xFF)) {
      return 0;
    }
    int quote = Math.min(len, ihl + 8);
    int total = 20 + 8 + quote;
    java.util.Arrays.fill(out, o, o + 28, (byte) 0);
    out[o] = 0x45;
    put16(out, o + 2, total);
    out[o + 8] = 64; // TTL
    out[o + 9] = 1; // ICMP
    System.arraycopy(pkt, off + 16, out, o + 12, 4); // from the unreachable destination
    System.arraycopy(pkt, off + 12, out, o + 16, 4); // back to the sender
    put16(out, o + 10, checksum(out, o, 20, 0));
    int icmp = o + 20;
    out[icmp] = 3;
    out[icmp + 1] = 4;
    put16(out, icmp + 6, Math.min(mtu, 0xFFFF));
    System.arraycopy(pkt, off, out, icmp + 8, quote);
    put16(out, icmp + 2, checksum(out, icmp, 8 + quote, 0));
    return total;
  }

  private static boolean isIcmpv4Error(int type) {
    return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
  }

  private static int ipv6(byte[] pkt, int off, int len, int mtu, byte[] out, int o) {
    if (len < 40) {
      return 0;
    }
    if ((pkt[off + 6] & 0xFF) == 58 && len >= 41 && (pkt[off + 40] & 0xFF) < 128) {
      return 0; // an ICMPv6 error
    }
    int quote = Math.min(len, IPV6_MIN_MTU - 40 - 8);
    int payload = 8 + quote;
    java.util.Arrays.fill(out, o, o + 48, (byte) 0);
    out[o] = 0x60;
    put16(out, o + 4, payload);
    out[o + 6] = 58;
    out[o + 7] = 64; // hop limit
    System.arraycopy(pkt, off + 24, out, o + 8, 16);
    System.arraycopy(pkt, off + 8, out, o + 24, 16);
    int icmp = o + 40;
    out[icmp] = 2;
    put32(out, icmp + 4, Math.max(mtu, IPV6_MIN_MTU));
    System.arraycopy(pkt, off, out, icmp + 8, quote);
    // Pseudo-header: source, destination, upper-layer length, next header 58.
    long pseudo = sum(out, o + 8, 32) + payload + 58;
    put16(out, icmp + 2, checksum(out, icmp, payload, pseudo));
    return 40 + payload;
  }

  static int checksum(byte[] b, int off, int len, long initial) {
    long s = initial + sum(b, off, len);
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return (int) (~s & 0xFFFF);
  }

  private static long sum(byte[] b, int off, int len) {
    long s = 0;
    int i = 0;
    for (; i + 1 < len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if (i < len) {
      s += (b[off + i] & 0xFF) << 8;
    }
    return s;
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  private static void put32(byte[] b, int off, int v) {
    put16(b, off, v >>> 16);
    put16(b, off + 2, v);
  }
}
