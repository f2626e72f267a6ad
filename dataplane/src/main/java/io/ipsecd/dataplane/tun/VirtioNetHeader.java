package io.ipsecd.dataplane.tun;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The {@code struct virtio_net_hdr} (10 bytes, little-endian on x86) in front of every packet of an
 * offloading TUN, and what the reader must do with it: finish a checksum the kernel left partial
 * ({@code NEEDS_CSUM}), or cut a TCP super-packet (TSO) into MSS-sized segments with their own
 * lengths, IPv4 ids, sequence numbers, flags and checksums, as a NIC would. Pure byte work; the
 * segments land in a {@link PacketBatch}'s slots at its headroom, ready to encrypt in place.
 */
public final class VirtioNetHeader {
  public static final int SIZE = 10;
  static final int F_NEEDS_CSUM = 1;
  static final int GSO_NONE = 0, GSO_TCPV4 = 1, GSO_TCPV6 = 4, GSO_ECN = 0x80;
  private static final int TCP = 6;
  private static final int FIN = 0x01, PSH = 0x08, CWR = 0x80;
  private static final VarHandle BE_INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
  private static final VarHandle BE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private VirtioNetHeader() {}

  /**
   * How many plain packets the frame {@code buf[off, off + len)} (header first) becomes: 1 unless
   * it is a TCP super-packet; -1 when the header or the packet does not make sense.
   */
  public static int segmentCount(byte[] buf, int off, int len) {
    if (len <= SIZE) {
      return -1;
    }
    int gsoType = buf[off + 1] & ~GSO_ECN & 0xFF;
    if (gsoType == GSO_NONE) {
      return 1;
    }
    if (gsoType != GSO_TCPV4 && gsoType != GSO_TCPV6) {
      return -1; // UDP segmentation is not enabled, so the kernel never sends it
    }
    int pkt = off + SIZE;
    int plen = len - SIZE;
    int l4 = le16(buf, off + 6);
    int mss = le16(buf, off + 4);
    if (mss == 0 || l4 + 20 > plen || (gsoType == GSO_TCPV4) != ((buf[pkt] & 0xF0) == 0x40)) {
      return -1;
    }
    int headers = l4 + ((buf[pkt + l4 + 12] & 0xF0) >>> 2);
    if (headers > plen) {
      return -1;
    }
    return Math.max(1, (plen - headers + mss - 1) / mss);
  }

  /**
   * Writes the frame's packets into {@code out} slots from {@code slot} (as many as
   * {@link #segmentCount} said), each at the batch's headroom with a complete checksum.
   */
  public static void split(byte[] buf, int off, int len, PacketBatch out, int slot) {
    int pkt = off + SIZE;
    int plen = len - SIZE;
    int gsoType = buf[off + 1] & ~GSO_ECN & 0xFF;
    if (gsoType == GSO_NONE) {
      byte[] dst = out.buffer(slot);
      int at = out.headroom();
      System.arraycopy(buf, pkt, dst, at, plen);
      out.set(slot, at, plen);
      if ((buf[off] & F_NEEDS_CSUM) != 0) {
        finishChecksum(dst, at, plen, le16(buf, off + 6), le16(buf, off + 8));
      }
      return;
    }
    boolean ipv4 = gsoType == GSO_TCPV4;
    int mss = le16(buf, off + 4);
    int l4 = le16(buf, off + 6);
    int tcpHeader = (buf[pkt + l4 + 12] & 0xF0) >>> 2;
    int headers = l4 + tcpHeader;
    int payload = plen - headers;
    int segments = Math.max(1, (payload + mss - 1) / mss);
    long seq = u32(buf, pkt + l4 + 4);
    int ipId = ipv4 ? le16be(buf, pkt + 4) : 0;
    for (int i = 0; i < segments; i++) {
      int chunk = Math.min(mss, payload - i * mss);
      byte[] dst = out.buffer(slot + i);
      int at = out.headroom();
      System.arraycopy(buf, pkt, dst, at, headers);
      System.arraycopy(buf, pkt + headers + i * mss, dst, at + headers, chunk);
      int total = headers + chunk;
      out.set(slot + i, at, total);
      if (ipv4) {
        put16(dst, at + 2, total);
        put16(dst, at + 4, (ipId + i) & 0xFFFF);
        put16(dst, at + 10, 0);
        put16(dst, at + 10, checksum(sum(dst, at, (dst[at] & 0x0F) * 4, 0)));
      } else {
        put16(dst, at + 4, total - 40);
      }
      int tcp = at + l4;
      putU32(dst, tcp + 4, seq + (long) i * mss);
      int flags = dst[tcp + 13] & 0xFF;
      if (i < segments - 1) {
        flags &= ~(FIN | PSH);
      }
      if (i > 0) {
        flags &= ~CWR;
      }
      dst[tcp + 13] = (byte) flags;
      put16(dst, tcp + 16, 0);
      long pseudo = ipv4 ? sum(dst, at + 12, 8, 0) : sum(dst, at + 8, 32, 0);
      pseudo += TCP + tcpHeader + chunk;
      put16(dst, tcp + 16, checksum(sum(dst, tcp, tcpHeader + chunk, pseudo)));
    }
  }

  /** The kernel put the pseudo-header sum in the checksum field; add the rest and store it. */
  private static void finishChecksum(byte[] p, int at, int len, int start, int offset) {
    if (start + offset + 2 > len) {
      return; // nonsense from the kernel: leave it, the receiver will drop the packet
    }
    int field = at + start + offset;
    int folded = checksum(sum(p, at + start, len - start, 0));
    boolean udp = offset == 6;
    put16(p, field, udp && folded == 0 ? 0xFFFF : folded); // UDP sends a zero sum as all ones
  }

  /** One's-complement sum of {@code len} bytes from {@code off}, added to {@code initial} (not folded). */
  static long sum(byte[] b, int off, int len, long initial) {
    long s = initial;
    int i = 0;
    // Two 32-bit words per step: carries pile up in the high half (at most 2^46 for 64 KiB) and fold later.
    for (; i + 8 <= len; i += 8) {
      long v = (long) BE_LONG.get(b, off + i);
      s += (v >>> 32) + (v & 0xFFFF_FFFFL);
    }
    for (; i + 4 <= len; i += 4) {
      s += ((int) BE_INT.get(b, off + i)) & 0xFFFF_FFFFL;
    }
    for (; i + 2 <= len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if (i < len) {
      s += (b[off + i] & 0xFF) << 8;
    }
    return s;
  }

  /** The Internet checksum of a sum: folded to 16 bits and complemented. */
  static int checksum(long s) {
    return ~fold(s) & 0xFFFF;
  }

  static int fold(long s) {
    s = (s & 0xFFFF_FFFFL) + (s >>> 32);
    s = (s & 0xFFFF) + (s >>> 16);
    s = (s & 0xFFFF) + (s >>> 16);
    s = (s & 0xFFFF) + (s >>> 16);
    return (int) (s & 0xFFFF);
  }

  private static int le16(byte[] b, int off) {
    return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8);
  }

  private static int le16be(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static long u32(byte[] b, int off) {
    return ((int) BE_INT.get(b, off)) & 0xFFFF_FFFFL;
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  private static void putU32(byte[] b, int off, long v) {
    BE_INT.set(b, off, (int) v);
  }
}
