package io.ipsecd.dataplane;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.testing.Packets;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class IcmpTooBigTest {
  private final byte[] out = new byte[2000];

  @Test
  void ipv4WithDfGetsFragmentationNeededFromTheDestinationWithValidChecksums() {
    InetAddress src = InetAddress.ofLiteral("10.1.0.5");
    InetAddress dst = InetAddress.ofLiteral("10.2.0.9");
    byte[] big = Packets.udp(src, dst, 1000, 2000, new byte[1400]); // Packets sets DF
    int len = IcmpTooBig.build(big, 0, big.length, 1380, out, 0);
    assertThat(len).isEqualTo(20 + 8 + 28);
    assertThat(Packets.source(out, 0)).isEqualTo(dst);
    assertThat(Packets.destination(out, 0)).isEqualTo(src);
    assertThat(Packets.checksum(out, 0, 20)).as("IP header checksum").isZero();
    assertThat(Packets.checksum(out, 20, len - 20)).as("ICMP checksum").isZero();
    assertThat(out[20]).isEqualTo((byte) 3);
    assertThat(out[21]).isEqualTo((byte) 4);
    assertThat(((out[26] & 0xff) << 8) | (out[27] & 0xff)).isEqualTo(1380);
  }

  @Test
  void noErrorForIpv4WithoutDfNorForAnIcmpError() {
    byte[] big = Packets.udp(InetAddress.ofLiteral("10.1.0.5"), InetAddress.ofLiteral("10.2.0.9"), 1, 2, new byte[1400]);
    big[6] = 0;
    assertThat(IcmpTooBig.build(big, 0, big.length, 1380, out, 0)).isZero();
    byte[] unreachable = Packets.ipv4(InetAddress.ofLiteral("10.1.0.5"), InetAddress.ofLiteral("10.2.0.9"), 1,
        new byte[] {3, 1, 0, 0, 0, 0, 0, 0});
    assertThat(IcmpTooBig.build(unreachable, 0, unreachable.length, 1380, out, 0)).isZero();
  }

  @Test
  void ipv6GetsPacketTooBigWithAPseudoHeaderChecksum() {
    byte[] pkt = Packets.ipv6Udp("2001:db8:1::5", "2001:db8:2::9", 1, 2);
    int len = IcmpTooBig.build(pkt, 0, pkt.length, 1300, out, 0);
    assertThat(len).isEqualTo(40 + 8 + pkt.length);
    assertThat(out[40]).isEqualTo((byte) 2);
    // Verify: pseudo-header sum + ICMPv6 message sums to 0xffff.
    long pseudo = 0;
    for (int i = 8; i < 40; i += 2) {
      pseudo += ((out[i] & 0xff) << 8) | (out[i + 1] & 0xff);
    }
    pseudo += (len - 40) + 58;
    assertThat(IcmpTooBig.checksum(out, 40, len - 40, pseudo)).isZero();
    assertThat(((out[46] & 0xff) << 8) | (out[47] & 0xff)).isEqualTo(1300);
  }
}
