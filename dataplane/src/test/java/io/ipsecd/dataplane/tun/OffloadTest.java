package io.ipsecd.dataplane.tun;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.packet.PacketBatch;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** TSO segmentation of TUN frames and the GRO-style merge back, checked against each other. */
class OffloadTest {
  /** RFC 1071 one 16-bit word at a time: the reference the word-wide sum must agree with. */
  private static int referenceChecksum(byte[] b, int off, int len, long initial) {
    long s = initial;
    for (int i = 0; i + 1 < len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    if ((len & 1) != 0) {
      s += (b[off + len - 1] & 0xFF) << 8;
    }
    while ((s >>> 16) != 0) {
      s = (s & 0xFFFF) + (s >>> 16);
    }
    return ~(int) s & 0xFFFF;
  }

  @Property(tries = 300)
  void theWordWideSumMatchesRfc1071ForAnyLengthAndAlignment(@ForAll @IntRange(min = 0, max = 9000) int len,
      @ForAll @IntRange(min = 0, max = 7) int off, @ForAll @IntRange(min = 0, max = 1 << 20) int initial,
      @ForAll long seed) {
    byte[] b = new byte[off + len];
    new Random(seed).nextBytes(b);
    if (seed % 3 == 0) {
      Arrays.fill(b, (byte) 0xFF); // all ones: the most carries
    }
    assertThat(VirtioNetHeader.checksum(VirtioNetHeader.sum(b, off, len, initial)))
        .isEqualTo(referenceChecksum(b, off, len, initial));
  }

  private static final byte[] SRC = InetAddress.ofLiteral("10.1.0.5").getAddress();
  private static final byte[] DST = InetAddress.ofLiteral("10.2.0.9").getAddress();

  /** An IPv4 TCP packet; {@code partial}: checksum field holds the pseudo-header sum, as TSO frames do. */
  static byte[] tcp(long seq, int flags, byte[] payload, boolean partial) {
    int len = 20 + 20 + payload.length;
    ByteBuffer p = ByteBuffer.allocate(len);
    p.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 77).putShort((short) 0x4000)
        .put((byte) 64).put((byte) 6).putShort((short) 0).put(SRC).put(DST);
    p.putShort((short) 40000).putShort((short) 5201).putInt((int) seq).putInt(12345)
        .put((byte) 0x50).put((byte) flags).putShort((short) 501).putShort((short) 0).putShort((short) 0).put(payload);
    byte[] b = p.array();
    b[10] = 0;
    b[11] = 0;
    put16(b, 10, VirtioNetHeader.checksum(VirtioNetHeader.sum(b, 0, 20, 0)));
    long pseudo = VirtioNetHeader.sum(b, 12, 8, 0) + 6 + (len - 20);
    put16(b, 36, partial ? VirtioNetHeader.fold(pseudo) : VirtioNetHeader.checksum(VirtioNetHeader.sum(b, 20, len - 20, pseudo)));
    return b;
  }

  static byte[] frame(int flags, int gsoType, int mss, byte[] packet) {
    byte[] f = new byte[VirtioNetHeader.SIZE + packet.length];
    f[0] = (byte) flags;
    f[1] = (byte) gsoType;
    f[2] = 40;
    f[4] = (byte) mss;
    f[5] = (byte) (mss >>> 8);
    f[6] = 20; // csum_start
    f[8] = 16; // csum_offset
    System.arraycopy(packet, 0, f, VirtioNetHeader.SIZE, packet.length);
    return f;
  }

  private static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  private static void assertValidTcp(byte[] b, int off, int len) {
    assertThat(VirtioNetHeader.checksum(VirtioNetHeader.sum(b, off, 20, 0))).as("IPv4 header checksum").isZero();
    long pseudo = VirtioNetHeader.sum(b, off + 12, 8, 0) + 6 + (len - 20);
    assertThat(VirtioNetHeader.checksum(VirtioNetHeader.sum(b, off + 20, len - 20, pseudo))).as("TCP checksum").isZero();
  }

  private static byte[] payload(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }

  @Test
  void aTsoFrameBecomesMssSegmentsWithTheirOwnSequenceNumbersFlagsAndChecksums() {
    byte[] data = payload(3500);
    byte[] f = frame(1, VirtioNetHeader.GSO_TCPV4, 1000, tcp(1_000_000, 0x10 | 0x08 | 0x01, data, true));
    assertThat(VirtioNetHeader.segmentCount(f, 0, f.length)).isEqualTo(4);
    PacketBatch out = PacketBatch.allocate(8, 2048, 64);
    VirtioNetHeader.split(f, 0, f.length, out, 0);
    ByteArrayOutputStream joined = new ByteArrayOutputStream();
    for (int i = 0; i < 4; i++) {
      byte[] b = out.buffer(i);
      int off = out.offset(i);
      int len = out.length(i);
      assertThat(len).isEqualTo(40 + (i < 3 ? 1000 : 500));
      assertValidTcp(b, off, len);
      assertThat(ByteBuffer.wrap(b, off + 24, 4).getInt()).isEqualTo(1_000_000 + 1000 * i);
      int flags = b[off + 33] & 0xFF;
      assertThat(flags & 0x09).as("FIN/PSH only on the last").isEqualTo(i == 3 ? 0x09 : 0);
      assertThat(ByteBuffer.wrap(b, off + 4, 2).getShort()).as("IPv4 id").isEqualTo((short) (77 + i));
      joined.write(b, off + 40, len - 40);
    }
    assertThat(joined.toByteArray()).isEqualTo(data);
  }

  /** An IPv6 TCP packet whose checksum field holds the pseudo-header sum, as in a TSO frame. */
  static byte[] tcp6(long seq, int flags, byte[] data) {
    int len = 40 + 20 + data.length;
    ByteBuffer p = ByteBuffer.allocate(len);
    p.putInt(0x60000000).putShort((short) (len - 40)).put((byte) 6).put((byte) 64)
        .put(InetAddress.ofLiteral("fd00:a::1").getAddress()).put(InetAddress.ofLiteral("fd00:b::1").getAddress());
    p.putShort((short) 40000).putShort((short) 5201).putInt((int) seq).putInt(9)
        .put((byte) 0x50).put((byte) flags).putShort((short) 501).putShort((short) 0).putShort((short) 0).put(data);
    byte[] pkt = p.array();
    put16(pkt, 56, VirtioNetHeader.fold(VirtioNetHeader.sum(pkt, 8, 32, 0) + 6 + (len - 40)));
    return pkt;
  }

  @Test
  void anIpv6TsoFrameIsCutWithPayloadLengthsAndPseudoHeaderChecksums() {
    byte[] pkt = tcp6(7, 0x18, payload(2500));
    byte[] f = frame(1, VirtioNetHeader.GSO_TCPV6, 1200, pkt);
    f[6] = 40; // csum_start: after the fixed IPv6 header
    assertThat(VirtioNetHeader.segmentCount(f, 0, f.length)).isEqualTo(3);
    PacketBatch out = PacketBatch.allocate(4, 2048, 64);
    VirtioNetHeader.split(f, 0, f.length, out, 0);
    for (int i = 0; i < 3; i++) {
      byte[] b = out.buffer(i);
      int off = out.offset(i);
      int segLen = out.length(i);
      assertThat(segLen).isEqualTo(60 + (i < 2 ? 1200 : 100));
      assertThat(ByteBuffer.wrap(b, off + 4, 2).getShort()).isEqualTo((short) (segLen - 40));
      long pseudo = VirtioNetHeader.sum(b, off + 8, 32, 0) + 6 + (segLen - 40);
      assertThat(VirtioNetHeader.checksum(VirtioNetHeader.sum(b, off + 40, segLen - 40, pseudo))).isZero();
      assertThat(ByteBuffer.wrap(b, off + 44, 4).getInt()).isEqualTo(7 + 1200 * i);
    }
  }

  @Test
  void aPartialChecksumWithoutSegmentationIsFinished() {
    byte[] f = frame(1, VirtioNetHeader.GSO_NONE, 0, tcp(5, 0x10, payload(333), true));
    assertThat(VirtioNetHeader.segmentCount(f, 0, f.length)).isEqualTo(1);
    PacketBatch out = PacketBatch.allocate(1, 2048, 64);
    VirtioNetHeader.split(f, 0, f.length, out, 0);
    assertValidTcp(out.buffer(0), out.offset(0), out.length(0));
  }

  @Test
  void framesThatMakeNoSenseAreRefused() {
    assertThat(VirtioNetHeader.segmentCount(new byte[5], 0, 5)).isEqualTo(-1);
    byte[] udpGso = frame(1, 5, 1000, tcp(1, 0x10, payload(10), true));
    assertThat(VirtioNetHeader.segmentCount(udpGso, 0, udpGso.length)).isEqualTo(-1);
    byte[] noMss = frame(1, VirtioNetHeader.GSO_TCPV4, 0, tcp(1, 0x10, payload(10), true));
    assertThat(VirtioNetHeader.segmentCount(noMss, 0, noMss.length)).isEqualTo(-1);
  }

  /** Coalescing what segmentation produced, then segmenting that again, gives the same packets (seq wraps). */
  @Property(tries = 100)
  void mergingSegmentsAndCuttingThemAgainRoundTrips(@ForAll @IntRange(min = 1, max = 60_000) int size,
      @ForAll @IntRange(min = 500, max = 1400) int mss, @ForAll boolean ipv6) {
    byte[] f = ipv6
        ? frame(1, VirtioNetHeader.GSO_TCPV6, mss, tcp6(4_294_960_000L, 0x18, payload(size)))
        : frame(1, VirtioNetHeader.GSO_TCPV4, mss, tcp(4_294_960_000L, 0x18, payload(size), true));
    if (ipv6) {
      f[6] = 40;
    }
    int n = VirtioNetHeader.segmentCount(f, 0, f.length);
    PacketBatch segments = PacketBatch.allocate(n, 2048, 64);
    VirtioNetHeader.split(f, 0, f.length, segments, 0);
    TcpCoalescer coalescer = new TcpCoalescer();
    for (int i = 0; i < n; i++) {
      assertThat(coalescer.offer(segments.buffer(i), segments.offset(i), segments.length(i)))
          .isEqualTo(TcpCoalescer.Offer.MERGED);
    }
    assertThat(coalescer.segments()).isEqualTo(n);
    PacketBatch merged = coalescer.finish();
    byte[] m = Arrays.copyOfRange(merged.buffer(0), merged.offset(0), merged.offset(0) + merged.length(0));
    assertThat(coalescer.pending()).isFalse();
    if (n == 1) {
      assertThat(m[1]).as("a lone segment goes plain").isZero();
      assertThat(Arrays.copyOfRange(m, VirtioNetHeader.SIZE, m.length)).isEqualTo(segments.copy(0));
      return;
    }
    PacketBatch again = PacketBatch.allocate(n, 2048, 64);
    assertThat(VirtioNetHeader.segmentCount(m, 0, m.length)).isEqualTo(n);
    VirtioNetHeader.split(m, 0, m.length, again, 0);
    for (int i = 0; i < n; i++) {
      assertThat(again.copy(i)).as("segment %d", i).isEqualTo(segments.copy(i));
    }
  }

  @Test
  void onlyContinuousPlainDataSegmentsMerge() {
    TcpCoalescer c = new TcpCoalescer();
    byte[] syn = tcp(1, 0x02, payload(0), false);
    assertThat(c.offer(syn, 0, syn.length)).isEqualTo(TcpCoalescer.Offer.NOT_MERGEABLE);
    byte[] first = tcp(100, 0x10, payload(1000), false);
    byte[] gap = tcp(1200, 0x10, payload(1000), false);
    byte[] next = tcp(1100, 0x10, payload(1000), false);
    assertThat(c.offer(first, 0, first.length)).isEqualTo(TcpCoalescer.Offer.MERGED);
    assertThat(c.offer(gap, 0, gap.length)).isEqualTo(TcpCoalescer.Offer.FLUSH_FIRST);
    assertThat(c.offer(next, 0, next.length)).isEqualTo(TcpCoalescer.Offer.MERGED);
    byte[] fin = tcp(2100, 0x11, payload(10), false);
    assertThat(c.offer(fin, 0, fin.length)).isEqualTo(TcpCoalescer.Offer.NOT_MERGEABLE);
    assertThat(c.segments()).isEqualTo(2);
  }
}
