package io.ipsecd.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * MSS clamping on packets built outside Java (Python's struct and socket modules, checksums
 * summed there): the MSS changes, nothing else does, and the TCP checksum, summed again here
 * from scratch with the pseudo-header, still holds.
 */
class MssClampTest {
  /** Linux-style SYN 10.1.0.2:40000 > 10.2.0.2:443: MSS 1460, SACK, timestamps, NOP, window scale. */
  private static final String V4_SYN = "4500003c12344000400614820a0100020a0200029c4001bb0102030400000000a002faf052a10000"
      + "020405b40402080a112233440000000001030307";
  /** SYN-ACK 2001:db8:2::2:443 > 2001:db8:1::2:40000, MSS 1440. */
  private static final String V6_SYN_ACK = "60000000001c064020010db800020000000000000000000220010db80001000000000000000000"
      + "0201bb9c400a0b0c0d010203057012faf0749f0000020405a001010402";
  /** SYN whose MSS option sits at an odd offset (after one NOP): its value straddles two checksum words. */
  private static final String V4_ODD = "45000030123440004006148e0a0100020a0200029c41005000000007000000007002faf02a4100"
      + "0001020405b4010101";
  /** IPv6 SYN behind a hop-by-hop options header, MSS 1440. */
  private static final String V6_HOP_BY_HOP = "600000000020004020010db800010000000000000000000220010db8000200000000000000000"
      + "00206000104000000009c42001600000009000000006002faf0a56f0000020405a0";
  /** A plain ACK that carries an MSS option (nonsense, but not ours to fix). */
  private static final String V4_ACK = "4500002c12344000400614920a0100020a0200029c4001bb01020305000000016010faf0e71d0000"
      + "020405b4";
  /** A SYN that already asks for less (1200). */
  private static final String V4_SMALL = "4500002c12344000400614920a0100020a0200029c4001bb01020304000000006002faf0e8310000"
      + "020404b0";

  private static byte[] hex(String s) {
    return HexFormat.of().parseHex(s);
  }

  @Test
  void theFixturesAreValidPackets() {
    for (String f : new String[] {V4_SYN, V6_SYN_ACK, V4_ODD, V6_HOP_BY_HOP, V4_ACK, V4_SMALL}) {
      assertThat(tcpChecksumHolds(hex(f))).as(f).isTrue();
    }
  }

  @Test
  void anIpv4SynAnnouncesTheClampAndItsChecksumStillHolds() {
    byte[] p = hex(V4_SYN);
    byte[] before = p.clone();
    assertThat(MssClamp.apply(p, 0, p.length, 1350)).isTrue();
    assertThat(u16(p, 20 + 22)).isEqualTo(1350);
    assertThat(tcpChecksumHolds(p)).isTrue();
    assertOnlyChanged(before, p, 20 + 16, 20 + 17, 20 + 22, 20 + 23);
    assertThat(MssClamp.apply(p, 0, p.length, 1350)).as("a second pass changes nothing").isFalse();
  }

  @Test
  void anIpv6SynAckIsClampedToo() {
    byte[] p = hex(V6_SYN_ACK);
    byte[] before = p.clone();
    assertThat(MssClamp.apply(p, 0, p.length, 1350)).isTrue();
    assertThat(u16(p, 40 + 22)).isEqualTo(1350);
    assertThat(tcpChecksumHolds(p)).isTrue();
    assertOnlyChanged(before, p, 40 + 16, 40 + 17, 40 + 22, 40 + 23);
  }

  @Test
  void anOptionAtAnOddOffsetKeepsTheChecksumRight() {
    byte[] p = hex(V4_ODD);
    assertThat(MssClamp.apply(p, 0, p.length, 1350)).isTrue();
    assertThat(u16(p, 20 + 23)).isEqualTo(1350);
    assertThat(tcpChecksumHolds(p)).isTrue();
  }

  @Test
  void ipv6ExtensionHeadersAreWalked() {
    byte[] p = hex(V6_HOP_BY_HOP);
    assertThat(MssClamp.apply(p, 0, p.length, 1300)).isTrue();
    assertThat(u16(p, 48 + 22)).isEqualTo(1300);
    assertThat(tcpChecksumHolds(p)).isTrue();
  }

  @Test
  void aPacketInsideABufferAtAnOffsetIsClampedInPlace() {
    byte[] syn = hex(V4_SYN);
    byte[] buf = new byte[100 + syn.length + 50];
    System.arraycopy(syn, 0, buf, 100, syn.length);
    assertThat(MssClamp.apply(buf, 100, syn.length, 1350)).isTrue();
    byte[] p = java.util.Arrays.copyOfRange(buf, 100, 100 + syn.length);
    assertThat(u16(p, 42)).isEqualTo(1350);
    assertThat(tcpChecksumHolds(p)).isTrue();
  }

  @Test
  void nonSynsSmallerMssesFragmentsAndOtherProtocolsAreLeftAlone() {
    for (String f : new String[] {V4_ACK, V4_SMALL}) {
      byte[] p = hex(f);
      byte[] before = p.clone();
      assertThat(MssClamp.apply(p, 0, p.length, 1350)).as(f).isFalse();
      assertThat(p).isEqualTo(before);
    }
    byte[] fragment = hex(V4_SYN);
    fragment[7] = 8; // fragment offset 64 bytes: not the TCP header
    assertThat(MssClamp.apply(fragment, 0, fragment.length, 1350)).isFalse();
    byte[] udp = hex(V4_SYN);
    udp[9] = 17;
    assertThat(MssClamp.apply(udp, 0, udp.length, 1350)).isFalse();
  }

  @Test
  void truncatedPacketsAreLeftAlone() {
    byte[] full = hex(V4_SYN);
    for (int len = 0; len < full.length; len++) {
      byte[] p = full.clone();
      assertThat(MssClamp.apply(p, 0, len, 1350)).as("length %d", len).isFalse();
    }
  }

  @Property(tries = 2000)
  void garbageNeverThrowsAndAnyChangeKeepsTheChecksumValid(@ForAll @Size(min = 0, max = 120) byte[] noise,
      @ForAll @IntRange(min = 0, max = 80) int at, @ForAll @IntRange(min = 536, max = 1500) int mss) {
    byte[] p = hex(V4_SYN);
    System.arraycopy(noise, 0, p, Math.min(at, p.length), Math.min(noise.length, p.length - Math.min(at, p.length)));
    boolean checksumWasValid = tcpChecksumHolds(p);
    boolean changed = MssClamp.apply(p, 0, p.length, mss);
    if (changed && checksumWasValid) {
      assertThat(tcpChecksumHolds(p)).isTrue();
    }
  }

  @Property(tries = 2000)
  void anyAnnouncedMssEndsAtMostAtTheClampWithAValidChecksum(@ForAll @IntRange(min = 0, max = 65535) int announced,
      @ForAll @IntRange(min = 536, max = 65535) int clamp, @ForAll boolean oddOffset) {
    byte[] p = hex(oddOffset ? V4_ODD : V4_SYN);
    int at = oddOffset ? 20 + 23 : 20 + 22;
    p[at] = (byte) (announced >>> 8);
    p[at + 1] = (byte) announced;
    p[36] = 0;
    p[37] = 0;
    int fresh = ~fold(words(p, 12, 8) + 6 + (p.length - 20) + words(p, 20, p.length - 20)) & 0xFFFF;
    p[36] = (byte) (fresh >>> 8);
    p[37] = (byte) fresh;
    assertThat(MssClamp.apply(p, 0, p.length, clamp)).isEqualTo(announced > clamp);
    assertThat(u16(p, at)).isEqualTo(Math.min(announced, clamp));
    assertThat(tcpChecksumHolds(p)).isTrue();
  }

  private static int fold(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return (int) sum;
  }

  // ---- an independent checker: the whole segment and pseudo-header summed again ----

  private static boolean tcpChecksumHolds(byte[] p) {
    long sum;
    int tcp;
    int tcpLen;
    if ((p[0] & 0xF0) == 0x40) {
      int ihl = (p[0] & 0x0F) * 4;
      if (ihl < 20 || p.length < ihl || (p[9] & 0xFF) != 6) {
        return false;
      }
      tcp = ihl;
      tcpLen = u16(p, 2) - ihl;
      sum = words(p, 12, 8) + 6 + tcpLen;
    } else {
      if (p.length < 40) {
        return false;
      }
      tcp = 40;
      int next = p[6] & 0xFF;
      while (next != 6 && tcp + 8 <= p.length) {
        next = p[tcp] & 0xFF;
        tcp += ((p[tcp + 1] & 0xFF) + 1) * 8;
      }
      tcpLen = 40 + u16(p, 4) - tcp;
      sum = words(p, 8, 32) + 6 + tcpLen;
    }
    if (tcpLen < 20 || tcp + tcpLen > p.length) {
      return false;
    }
    sum += words(p, tcp, tcpLen);
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return sum == 0xFFFF;
  }

  private static long words(byte[] b, int off, int len) {
    long s = 0;
    for (int i = 0; i < len; i += 2) {
      s += ((b[off + i] & 0xFF) << 8) | (i + 1 < len ? b[off + i + 1] & 0xFF : 0);
    }
    return s;
  }

  private static int u16(byte[] b, int off) {
    return ((b[off] & 0xFF) << 8) | (b[off + 1] & 0xFF);
  }

  private static void assertOnlyChanged(byte[] before, byte[] after, int... positions) {
    java.util.Set<Integer> allowed = new java.util.HashSet<>();
    for (int i : positions) {
      allowed.add(i);
    }
    for (int i = 0; i < before.length; i++) {
      if (!allowed.contains(i)) {
        assertThat(after[i]).as("byte %d", i).isEqualTo(before[i]);
      }
    }
  }
}
