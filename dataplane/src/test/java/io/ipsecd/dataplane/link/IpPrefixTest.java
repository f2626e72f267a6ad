package io.ipsecd.dataplane.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class IpPrefixTest {
  private static InetAddress ip(String s) {
    return InetAddress.ofLiteral(s);
  }

  @Test
  void parsesPrefixesAndBareAddresses() {
    assertThat(IpPrefix.parse("10.1.0.0/16")).isEqualTo(new IpPrefix(ip("10.1.0.0"), 16));
    assertThat(IpPrefix.parse("2001:db8::/32").isIpv6()).isTrue();
    assertThat(IpPrefix.parse("198.18.0.1")).hasToString("198.18.0.1/32");
    assertThat(IpPrefix.parse("::1")).hasToString("0:0:0:0:0:0:0:1/128");
  }

  @Test
  void refusesHostBitsAndSuggestsTheNetwork() {
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/16"))
        .hasMessage("10.1.2.3/16 has host bits set; did you mean 10.1.0.0/16?");
  }

  @Test
  void refusesNamesLengthsAndGarbage() {
    assertThatThrownBy(() -> IpPrefix.parse("example.com/24")).hasMessageContaining("not an IP address");
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/33")).hasMessageContaining("outside 0..32");
    assertThatThrownBy(() -> IpPrefix.parse("10.0.0.0/x")).hasMessageContaining("no valid prefix length");
    assertThatThrownBy(() -> IpPrefix.parse("")).hasMessageContaining("not an IP address");
  }

  @Test
  void ofClearsHostBitsAndContainsChecksMembership() {
    IpPrefix p = IpPrefix.of(ip("198.18.7.9"), 30);
    assertThat(p).hasToString("198.18.7.8/30");
    assertThat(p.contains(ip("198.18.7.11"))).isTrue();
    assertThat(p.contains(ip("198.18.7.12"))).isFalse();
    assertThat(p.contains(ip("::1"))).isFalse();
  }

  @Test
  void coversAnAlignedRangeWithOnePrefix() {
    assertThat(IpPrefix.covering(ip("10.0.0.0"), ip("10.0.0.255"))).containsExactly(IpPrefix.parse("10.0.0.0/24"));
    assertThat(IpPrefix.covering(ip("0.0.0.0"), ip("255.255.255.255"))).containsExactly(IpPrefix.parse("0.0.0.0/0"));
    assertThat(IpPrefix.covering(ip("::"), ip("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff")))
        .containsExactly(IpPrefix.parse("::/0"));
  }

  @Test
  void coversAnUnalignedRangeWithTheFewestPrefixes() {
    assertThat(IpPrefix.covering(ip("10.0.0.1"), ip("10.0.0.6"))).containsExactly(
        IpPrefix.parse("10.0.0.1/32"), IpPrefix.parse("10.0.0.2/31"),
        IpPrefix.parse("10.0.0.4/31"), IpPrefix.parse("10.0.0.6/32"));
    assertThat(IpPrefix.covering(ip("2001:db8::"), ip("2001:db8::1:ffff")))
        .containsExactly(IpPrefix.parse("2001:db8::/111"));
  }

  @Test
  void refusesBackwardAndMixedRanges() {
    assertThatThrownBy(() -> IpPrefix.covering(ip("10.0.0.9"), ip("10.0.0.1"))).hasMessageContaining("is after its end");
    assertThatThrownBy(() -> IpPrefix.covering(ip("10.0.0.1"), ip("::1"))).hasMessageContaining("mixes IPv4 and IPv6");
  }

  /** The prefixes tile the range exactly: contiguous, in order, no gaps, nothing outside. */
  @Property(tries = 300)
  void coveringTilesTheRangeExactly(@ForAll @IntRange(min = 0, max = 1 << 20) int start,
      @ForAll @IntRange(min = 0, max = 1 << 12) int span) {
    long first = 0x0a00_0000L + start;
    long last = first + span;
    List<IpPrefix> prefixes = IpPrefix.covering(v4(first), v4(last));
    long next = first;
    for (IpPrefix p : prefixes) {
      long network = Integer.toUnsignedLong(java.nio.ByteBuffer.wrap(p.network().getAddress()).getInt());
      assertThat(network).isEqualTo(next);
      next = network + (1L << (32 - p.length()));
    }
    assertThat(next).isEqualTo(last + 1);
    assertThat(prefixes.size()).isLessThanOrEqualTo(2 * 32);
  }

  private static InetAddress v4(long value) {
    return io.ipsecd.dataplane.testing.TestNet.address(java.nio.ByteBuffer.allocate(4).putInt((int) value).array());
  }
}
