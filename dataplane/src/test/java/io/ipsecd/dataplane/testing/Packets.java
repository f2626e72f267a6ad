package io.ipsecd.dataplane.testing;

import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Builds and picks apart the IPv4 packets the TUN tests write and read. */
public final class Packets {
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_UDP = 17;

  private Packets() {}

  public static byte[] udp(InetAddress src, InetAddress dst, int srcPort, int dstPort, byte[] payload) {
    ByteBuffer udp = ByteBuffer.allocate(8 + payload.length);
    udp.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length))
        .putShort((short) 0) // checksum 0: none, allowed for UDP over IPv4
        .put(payload);
    return ipv4(src, dst, PROTO_UDP, udp.array());
  }

  public static byte[] icmpEcho(InetAddress src, InetAddress dst, int id, int seq, byte[] data) {
    ByteBuffer icmp = ByteBuffer.allocate(8 + data.length);
    icmp.put((byte) 8).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
    byte[] raw = icmp.array();
    int sum = checksum(raw, 0, raw.length);
    raw[2] = (byte) (sum >> 8);
    raw[3] = (byte) sum;
    return ipv4(src, dst, PROTO_ICMP, raw);
  }

  public static byte[] ipv4(InetAddress src, InetAddress dst, int protocol, byte[] payload) {
    ByteBuffer p = ByteBuffer.allocate(20 + payload.length);
    p.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length))
        .putShort((short) 0x1234).putShort((short) 0x4000) // id, DF
        .put((byte) 64).put((byte) protocol).putShort((short) 0)
        .put(src.getAddress()).put(dst.getAddress()).put(payload);
    byte[] raw = p.array();
    int sum = checksum(raw, 0, 20);
    raw[10] = (byte) (sum >> 8);
    raw[11] = (byte) sum;
    return raw;
  }

  public static int checksum(byte[] b, int off, int len) {
    long sum = 0;
    for (int i = 0; i + 1 < len; i += 2) {
      sum += ((b[off + i] & 0xff) << 8) | (b[off + i + 1] & 0xff);
    }
    if ((len & 1) != 0) {
      sum += (b[off + len - 1] & 0xff) << 8;
    }
    while ((sum >> 16) != 0) {
      sum = (sum & 0xffff) + (sum >> 16);
    }
    return (int) (~sum & 0xffff);
  }

  public static int version(byte[] b, int off) {
    return (b[off] >> 4) & 0xf;
  }

  public static int protocol(byte[] b, int off) {
    return b[off + 9] & 0xff;
  }

  public static InetAddress source(byte[] b, int off) {
    return TestNet.address(java.util.Arrays.copyOfRange(b, off + 12, off + 16));
  }

  public static InetAddress destination(byte[] b, int off) {
    return TestNet.address(java.util.Arrays.copyOfRange(b, off + 16, off + 20));
  }

  public static int headerLength(byte[] b, int off) {
    return (b[off] & 0xf) * 4;
  }

  /** UDP destination port of an IPv4 packet. */
  public static int udpDestinationPort(byte[] b, int off) {
    int l4 = off + headerLength(b, off);
    return ((b[l4 + 2] & 0xff) << 8) | (b[l4 + 3] & 0xff);
  }

  public static byte[] udpPayload(byte[] b, int off, int len) {
    int l4 = off + headerLength(b, off);
    return java.util.Arrays.copyOfRange(b, l4 + 8, off + len);
  }

  /** An IPv6 UDP packet with an 8-byte zero payload (checksum left 0: for parsing, not for sockets). */
  public static byte[] ipv6Udp(String src, String dst, int srcPort, int dstPort) {
    byte[] p = new byte[40 + 8 + 8];
    p[0] = 0x60;
    p[5] = 16;
    p[6] = 17;
    p[7] = 64;
    System.arraycopy(InetAddress.ofLiteral(src).getAddress(), 0, p, 8, 16);
    System.arraycopy(InetAddress.ofLiteral(dst).getAddress(), 0, p, 24, 16);
    p[40] = (byte) (srcPort >> 8);
    p[41] = (byte) srcPort;
    p[42] = (byte) (dstPort >> 8);
    p[43] = (byte) dstPort;
    p[45] = 16;
    return p;
  }
}
