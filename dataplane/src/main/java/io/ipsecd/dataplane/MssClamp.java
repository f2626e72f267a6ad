package io.ipsecd.dataplane;

/**
 * TCP MSS clamping: lowers the Maximum Segment Size option of a SYN (or SYN-ACK) to a child's
 * configured limit, so both ends send segments that fit the tunnel without fragmenting (Azure
 * asks for 1350). Works in place on IPv4 and IPv6 packets, after decryption inbound and before
 * encryption outbound, and fixes the TCP checksum incrementally (RFC 1624 eqn. 3) instead of
 * summing the segment again. Pure byte work, no allocation; anything it does not understand
 * (fragments, truncated headers, malformed options) it leaves alone.
 */
final class MssClamp {
  private static final int TCP = 6;
  private static final int SYN = 0x02;
  private static final int OPT_END = 0, OPT_NOP = 1, OPT_MSS = 2;
  private static final int MAX_IPV6_EXTENSIONS = 8;

  private MssClamp() {}

  /**
   * Clamps the MSS option of the TCP SYN in {@code buf[off, off + len)} to {@code mss}.
   *
   * @return true when the packet was changed
   */
  static boolean apply(byte[] buf, int off, int len, int mss) {
    int tcp = tcpOffset(buf, off, len);
    if (tcp < 0 || tcp + 20 > off + len || (buf[tcp + 13] & SYN) == 0) {
      return false;
    }
    int headerEnd = tcp + ((buf[tcp + 12] & 0xF0) >>> 2);
    if (headerEnd < tcp + 20 || headerEnd > off + len) {
      return false;
    }
    int p = tcp + 20;
    while (p < headerEnd) {
      int kind = buf[p] & 0xFF;
      if (kind == OPT_END) {
        return false;
      }
      if (kind == OPT_NOP) {
        p++;
        continue;
      }
      if (p + 1 >= headerEnd) {
        return false;
      }
      int optLen = buf[p + 1] & 0xFF;
      if (optLen < 2 || p + optLen > headerEnd) {
        return false;
      }
      if (kind == OPT_MSS && optLen == 4) {
        int value = u16(buf, p + 2);
        if (value <= mss) {
          return false;
        }
        replace(buf, tcp, p + 2, mss);
        return true;
      }
      p += optLen;
    }
    return false;
  }

  /** Where the TCP header starts, or -1: not TCP, not a first fragment, or too short to tell. */
  private static int tcpOffset(byte[] buf, int off, int len) {
    if (len < 1) {
      return -1;
    }
    int version = (buf[off] & 0xF0) >>> 4;
    if (version == 4) {
      int ihl = (buf[off] & 0x0F) * 4;
      if (len < 20 || ihl < 20 || ihl > len || (buf[off + 9] & 0xFF) != TCP) {
        return -1;
      }
      int fragmentOffset = ((buf[off + 6] & 0x1F) << 8) | (buf[off + 7] & 0xFF);
      return fragmentOffset == 0 ? off + ihl : -1;
    }
    if (version != 6 || len < 40) {
      return -1;
    }
    int next = buf[off + 6] & 0xFF;
    int p = off + 40;
    int end = off + len;
    for (int i = 0; i < MAX_IPV6_EXTENSIONS && next != TCP; i++) {
      if (p + 8 > end) {
        return -1;
      }
      if (next == 0 || next == 43 || next == 60) { // hop-by-hop, routing, destination options
        next = buf[p] & 0xFF;
        p += ((buf[p + 1] & 0xFF) + 1) * 8;
      } else if (next == 44) { // fragment: only the first one carries the TCP header
        if ((((buf[p + 2] & 0xFF) << 8 | (buf[p + 3] & 0xFF)) >>> 3) != 0) {
          return -1;
        }
        next = buf[p] & 0xFF;
        p += 8;
      } else {
        return -1;
      }
    }
    return next == TCP && p <= end ? p : -1;
  }

  /**
   * Writes the 16-bit {@code value} at {@code at} and adjusts the checksum at {@code tcp + 16}.
   * The checksum sums 16-bit words from the TCP header's start; an option at an odd offset
   * straddles two of them, so the update runs over the words the two bytes belong to.
   */
  private static void replace(byte[] buf, int tcp, int at, int value) {
    int first = at - ((at - tcp) & 1); // the word holding the first changed byte
    int words = first == at ? 1 : 2;
    long sum = ~u16(buf, tcp + 16) & 0xFFFF;
    for (int w = 0; w < words; w++) {
      sum += ~u16(buf, first + 2 * w) & 0xFFFF;
    }
    buf[at] = (byte) (value >>> 8);
    buf[at + 1] = (byte) value;
    for (int w = 0; w < words; w++) {
      sum += u16(buf, first + 2 * w);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    int checksum = ~(int) sum & 0xFFFF;
    buf[tcp + 16] = (byte) (checksum >>> 8);
    buf[tcp + 17] = (byte) checksum;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }
}
