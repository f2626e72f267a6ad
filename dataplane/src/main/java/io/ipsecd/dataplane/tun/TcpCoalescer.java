package io.ipsecd.dataplane.tun;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.util.Arrays;

/**
 * Merges consecutive segments of one TCP flow (IPv4 or IPv6) into a super-packet for an offloading TUN, so
 * the kernel runs its receive path once per ~64 KiB instead of once per segment: the GRO a NIC
 * would do (wireguard-go's tun GRO). The frame carries a {@link VirtioNetHeader} with the segment
 * size and a partial checksum ({@code NEEDS_CSUM}): the kernel takes the packet as checksummed
 * locally, which holds, since ESP authenticated every segment.
 *
 * <p>Only plain data segments merge: no IPv4 options or fragments, no IPv6 extension headers, ACK
 * set and no SYN/FIN/RST/URG/ECE/CWR, the same addresses, ports, TOS/traffic class and flow label,
 * TTL/hop limit, DF, ACK number, window and TCP options, each starting where the last ended and none longer than the first. A shorter segment
 * or one with PSH ends the train. Owned by one thread; allocates its frame buffer once.
 */
public final class TcpCoalescer {
  /** What {@link #offer} did with a packet. */
  public enum Offer {
    /** Copied into the pending super-packet. */
    MERGED,
    /** Mergeable, but not into the pending train: flush it, then offer again. */
    FLUSH_FIRST,
    /** Not a mergeable TCP segment: flush the pending train, then write this packet as it is. */
    NOT_MERGEABLE
  }

  private static final int HEADROOM = 64;
  private static final int MAX_IP_LENGTH = 65_535;
  private static final int FIN = 0x01, SYN = 0x02, RST = 0x04, PSH = 0x08, ACK = 0x10, URG = 0x20, ECE = 0x40, CWR = 0x80;

  private final PacketBatch frame = PacketBatch.allocate(1, HEADROOM + MAX_IP_LENGTH + 64, HEADROOM);
  private final byte[] buf = frame.buffer(0);
  private boolean active;
  private boolean closed;
  private boolean ipv6;
  private int ip; // IP header length: 20 or 40
  private int headers;
  private int mss;
  private int total;
  private int segments;
  private long nextSeq;
  private int orFlags;

  public boolean pending() {
    return active;
  }

  public Offer offer(byte[] p, int off, int len) {
    int ipLen = ipHeader(p, off, len);
    int tcpLen = ipLen < 0 ? -1 : mergeableTcpHeader(p, off + ipLen, len - ipLen);
    if (tcpLen < 0) {
      return Offer.NOT_MERGEABLE;
    }
    int tcp = off + ipLen;
    int payload = len - ipLen - tcpLen;
    long seq = u32(p, tcp + 4);
    int flags = p[tcp + 13] & 0xFF;
    if (!active) {
      System.arraycopy(p, off, buf, HEADROOM, len);
      active = true;
      ipv6 = ipLen == 40;
      ip = ipLen;
      headers = ipLen + tcpLen;
      mss = payload;
      total = len;
      segments = 1;
      nextSeq = seq + payload;
      orFlags = flags;
      closed = (flags & PSH) != 0;
      return Offer.MERGED;
    }
    int h = HEADROOM;
    int t = h + ip;
    if (closed || ipLen != ip || seq != (nextSeq & 0xFFFF_FFFFL) || payload > mss || total + payload > MAX_IP_LENGTH
        || ipLen + tcpLen != headers || !sameIpFields(p, off, h)
        || !Arrays.equals(p, tcp, tcp + 4, buf, t, t + 4) // ports
        || !Arrays.equals(p, tcp + 8, tcp + 12, buf, t + 8, t + 12) // ACK number
        || !Arrays.equals(p, tcp + 14, tcp + 16, buf, t + 14, t + 16) // window
        || !Arrays.equals(p, tcp + 20, tcp + tcpLen, buf, t + 20, t + tcpLen)) { // options
      return Offer.FLUSH_FIRST;
    }
    System.arraycopy(p, off + headers, buf, h + total, payload);
    total += payload;
    segments++;
    nextSeq = seq + payload;
    orFlags |= flags;
    closed = payload < mss || (flags & PSH) != 0;
    return Offer.MERGED;
  }

  private boolean sameIpFields(byte[] p, int off, int h) {
    if (ipv6) { // version, traffic class, flow label; hop limit; addresses
      return Arrays.equals(p, off, off + 4, buf, h, h + 4) && p[off + 7] == buf[h + 7]
          && Arrays.equals(p, off + 8, off + 40, buf, h + 8, h + 40);
    }
    return p[off + 1] == buf[h + 1] && p[off + 8] == buf[h + 8] && (p[off + 6] & 0x40) == (buf[h + 6] & 0x40)
        && Arrays.equals(p, off + 12, off + 20, buf, h + 12, h + 20);
  }

  /** 20 or 40 for an IPv4 packet without options or fragmentation or an IPv6 one straight to TCP; else -1. */
  private static int ipHeader(byte[] p, int off, int len) {
    if (len < 40) {
      return -1;
    }
    int first = p[off] & 0xFF;
    int declared = ((p[off + 2] & 0xFF) << 8) | (p[off + 3] & 0xFF);
    if (first == 0x45) {
      boolean fragment = (p[off + 6] & 0x3F) != 0 || p[off + 7] != 0;
      return p[off + 9] == 6 && declared == len && !fragment ? 20 : -1;
    }
    if ((first & 0xF0) == 0x60) {
      int payloadLength = ((p[off + 4] & 0xFF) << 8) | (p[off + 5] & 0xFF);
      return len >= 60 && p[off + 6] == 6 && payloadLength == len - 40 ? 40 : -1;
    }
    return -1;
  }

  /** The TCP header length if the segment at {@code tcp} carries data and plain flags, else -1. */
  private static int mergeableTcpHeader(byte[] p, int tcp, int len) {
    int tcpLen = (p[tcp + 12] & 0xF0) >>> 2;
    int flags = p[tcp + 13] & 0xFF;
    if (tcpLen < 20 || tcpLen >= len || (flags & ACK) == 0 || (flags & (FIN | SYN | RST | URG | ECE | CWR)) != 0) {
      return -1;
    }
    return tcpLen;
  }

  /**
   * Completes the pending train into a frame (virtio header first) and forgets it; write the
   * returned batch's slot 0 with {@link TunDevice#writeFrame}. Only when {@link #pending()}.
   */
  public PacketBatch finish() {
    int h = HEADROOM;
    int vnet = h - VirtioNetHeader.SIZE;
    Arrays.fill(buf, vnet, h, (byte) 0);
    if (segments > 1) {
      int t = h + ip;
      long pseudo;
      if (ipv6) {
        put16(buf, h + 4, total - 40);
        pseudo = VirtioNetHeader.sum(buf, h + 8, 32, 0);
      } else {
        put16(buf, h + 2, total);
        put16(buf, h + 10, 0);
        put16(buf, h + 10, VirtioNetHeader.checksum(VirtioNetHeader.sum(buf, h, 20, 0)));
        pseudo = VirtioNetHeader.sum(buf, h + 12, 8, 0);
      }
      buf[t + 13] = (byte) ((buf[t + 13] & 0xFF) | (orFlags & PSH));
      // Partial checksum, as a sending stack leaves it: the pseudo-header sum, not complemented.
      put16(buf, t + 16, VirtioNetHeader.fold(pseudo + 6 + (total - ip)));
      buf[vnet] = (byte) VirtioNetHeader.F_NEEDS_CSUM;
      buf[vnet + 1] = (byte) (ipv6 ? VirtioNetHeader.GSO_TCPV6 : VirtioNetHeader.GSO_TCPV4);
      putLe16(buf, vnet + 2, headers);
      putLe16(buf, vnet + 4, mss);
      putLe16(buf, vnet + 6, ip);
      putLe16(buf, vnet + 8, 16);
    }
    frame.set(0, vnet, VirtioNetHeader.SIZE + total);
    active = false;
    return frame;
  }

  /** Segments in the pending train (tests and statistics). */
  public int segments() {
    return active ? segments : 0;
  }

  private static long u32(byte[] b, int off) {
    return ((b[off] & 0xFFL) << 24) | ((b[off + 1] & 0xFFL) << 16) | ((b[off + 2] & 0xFFL) << 8) | (b[off + 3] & 0xFFL);
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  private static void putLe16(byte[] b, int off, int v) {
    b[off] = (byte) v;
    b[off + 1] = (byte) (v >>> 8);
  }
}
