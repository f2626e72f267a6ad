package io.ipsecd.dataplane.spd;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.testing.Packets;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class FlowKeyTest {
  private final FlowKey key = new FlowKey();

  @Test
  void readsIpv4AddressesProtocolAndPorts() {
    byte[] p = Packets.udp(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("198.51.100.2"), 5000, 53, new byte[3]);
    assertThat(key.parse(p, 0, p.length)).isTrue();
    assertThat(key.sourceAddress()).isEqualTo(InetAddress.ofLiteral("192.0.2.1").getAddress());
    assertThat(key.destinationAddress()).isEqualTo(InetAddress.ofLiteral("198.51.100.2").getAddress());
    assertThat(key.protocol()).isEqualTo(17);
    assertThat(key.sourcePort()).isEqualTo(5000);
    assertThat(key.destinationPort()).isEqualTo(53);
  }

  @Test
  void laterIpv4FragmentsAndIcmpHaveNoPorts() {
    byte[] p = Packets.udp(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("198.51.100.2"), 5000, 53, new byte[3]);
    p[6] = 0x00;
    p[7] = 0x10; // fragment offset 16 * 8
    assertThat(key.parse(p, 0, p.length)).isTrue();
    assertThat(key.sourcePort()).isZero();
    byte[] ping = Packets.icmpEcho(InetAddress.ofLiteral("192.0.2.1"), InetAddress.ofLiteral("198.51.100.2"), 7, 1, new byte[8]);
    assertThat(key.parse(ping, 0, ping.length)).isTrue();
    assertThat(key.protocol()).isEqualTo(1);
    assertThat(key.destinationPort()).isZero();
  }

  @Test
  void walksIpv6ExtensionHeadersToTheTransport() {
    byte[] plain = Packets.ipv6Udp("2001:db8::1", "2001:db8::2", 1234, 443);
    byte[] withHopByHop = new byte[plain.length + 8];
    System.arraycopy(plain, 0, withHopByHop, 0, 40);
    withHopByHop[6] = 0; // hop-by-hop options first
    withHopByHop[40] = 17; // then UDP
    withHopByHop[41] = 0; // 8 bytes long
    System.arraycopy(plain, 40, withHopByHop, 48, plain.length - 40);
    assertThat(key.parse(withHopByHop, 0, withHopByHop.length)).isTrue();
    assertThat(key.protocol()).isEqualTo(17);
    assertThat(key.destinationPort()).isEqualTo(443);
  }

  @Test
  void rejectsWhatIsNotIp() {
    assertThat(key.parse(new byte[] {0x45, 0, 0}, 0, 3)).isFalse();
    assertThat(key.parse(new byte[40], 0, 40)).isFalse();
    assertThat(key.parse(new byte[] {0x60}, 0, 1)).isFalse();
    byte[] badIhl = new byte[20];
    badIhl[0] = 0x4F; // 60-byte header in 20 bytes
    assertThat(key.parse(badIhl, 0, 20)).isFalse();
  }
}
