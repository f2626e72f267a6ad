package io.ipsecd.dataplane.spd;

/**
 * The selector-relevant fields of one inner IP packet (addresses, protocol, ports), parsed in place
 * from a packet buffer. Mutable and reused: each worker thread owns one, so parsing allocates
 * nothing. Addresses are held as two unsigned 64-bit halves; IPv4 uses only {@code low}.
 *
 * <p>Ports are read for TCP, UDP, SCTP and UDP-Lite in the first fragment; for every other protocol
 * and for later fragments they are 0 (RFC 4301 §4.4.1.1 "OPAQUE": a selector with a narrowed port
 * range then does not match, which fails closed).
 */
public final class FlowKey {
  static final int TCP = 6, UDP = 17, SCTP = 132, UDPLITE = 136;
  private static final int MAX_IPV6_EXTENSIONS = 8;

  boolean ipv6;
  long srcHigh, srcLow, dstHigh, dstLow;
  int protocol, srcPort, dstPort;

  /**
   * Reads the packet at {@code buf[off, off + len)}. Returns false (and leaves the key unusable)
   * when it is not a well-formed IPv4 or IPv6 header.
   */
  public boolean parse(byte[] buf, int off, int len) {
    if (len < 1) {
      return false;
    }
    return switch ((buf[off] & 0xF0) >>> 4) {
      case 4 -> parseIpv4(buf, off, len);
      case 6 -> parseIpv6(buf, off, len);
      default -> false;
    };
  }

  private boolean parseIpv4(byte[] buf, int off, int len) {
    int headerLength = (buf[off] & 0x0F) * 4;
    if (len < 20 || headerLength < 20 || headerLength > len) {
      return false;
    }
    ipv6 = false;
    srcHigh = 0;
    dstHigh = 0;
    srcLow = u32(buf, off + 12);
    dstLow = u32(buf, off + 16);
    protocol = buf[off + 9] & 0xFF;
    boolean laterFragment = (((buf[off + 6] & 0x1F) << 8) | (buf[off + 7] & 0xFF)) != 0;
    readPorts(buf, off + headerLength, off + len, laterFragment);
    return true;
  }

  private boolean parseIpv6(byte[] buf, int off, int len) {
    if (len < 40) {
      return false;
    }
    ipv6 = true;
    srcHigh = u64(buf, off + 8);
    srcLow = u64(buf, off + 16);
    dstHigh = u64(buf, off + 24);
    dstLow = u64(buf, off + 32);
    int next = buf[off + 6] & 0xFF;
    int p = off + 40;
    int end = off + len;
    boolean laterFragment = false;
    // Walk the extension headers to the upper-layer protocol; bounded so a crafted chain costs little.
    for (int i = 0; i < MAX_IPV6_EXTENSIONS && p + 8 <= end; i++) {
      if (next == 0 || next == 43 || next == 60) { // hop-by-hop, routing, destination options
        int size = ((buf[p + 1] & 0xFF) + 1) * 8;
        next = buf[p] & 0xFF;
        p += size;
      } else if (next == 44) { // fragment
        laterFragment = ((((buf[p + 2] & 0xFF) << 8) | (buf[p + 3] & 0xFF)) >>> 3) != 0;
        next = buf[p] & 0xFF;
        p += 8;
      } else {
        break;
      }
    }
    protocol = next;
    readPorts(buf, p, end, laterFragment);
    return true;
  }

  private void readPorts(byte[] buf, int l4, int end, boolean laterFragment) {
    boolean hasPorts = protocol == TCP || protocol == UDP || protocol == SCTP || protocol == UDPLITE;
    if (hasPorts && !laterFragment && l4 + 4 <= end) {
      srcPort = ((buf[l4] & 0xFF) << 8) | (buf[l4 + 1] & 0xFF);
      dstPort = ((buf[l4 + 2] & 0xFF) << 8) | (buf[l4 + 3] & 0xFF);
    } else {
      srcPort = 0;
      dstPort = 0;
    }
  }

  public boolean ipv6() {
    return ipv6;
  }

  public int protocol() {
    return protocol;
  }

  public int sourcePort() {
    return srcPort;
  }

  public int destinationPort() {
    return dstPort;
  }

  /** The source address as bytes (allocates; for events, not the per-packet path). */
  public byte[] sourceAddress() {
    return bytes(srcHigh, srcLow);
  }

  /** The destination address as bytes (allocates; for events, not the per-packet path). */
  public byte[] destinationAddress() {
    return bytes(dstHigh, dstLow);
  }

  private byte[] bytes(long high, long low) {
    if (!ipv6) {
      return new byte[] {(byte) (low >>> 24), (byte) (low >>> 16), (byte) (low >>> 8), (byte) low};
    }
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (high >>> (56 - 8 * i));
      out[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return out;
  }

  static long u32(byte[] b, int off) {
    return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
  }

  static long u64(byte[] b, int off) {
    return u32(b, off) << 32 | u32(b, off + 4);
  }
}
