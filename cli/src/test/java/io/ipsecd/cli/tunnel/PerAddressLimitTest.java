package io.ipsecd.cli.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PerAddressLimitTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void oneEventPerAddressAndInterval() {
    PerAddressLimit limit = new PerAddressLimit(SECOND);
    InetAddress peer = InetAddress.ofLiteral("192.0.2.2");
    InetAddress other = InetAddress.ofLiteral("192.0.2.3");
    assertThat(limit.allow(peer, 0)).isTrue();
    assertThat(limit.allow(peer, SECOND / 2)).isFalse();
    assertThat(limit.allow(other, SECOND / 2)).isTrue();
    assertThat(limit.allow(peer, SECOND)).isTrue();
    assertThat(limit.allow(peer, SECOND + 1)).isFalse();
  }

  @Test
  void aFloodOfStrangersDoesNotGrowItWithoutBound() {
    PerAddressLimit limit = new PerAddressLimit(SECOND);
    for (int i = 0; i < 5000; i++) {
      assertThat(limit.allow(InetAddress.ofLiteral("10.0." + (i / 256) + "." + (i % 256)), 0)).isTrue();
    }
    assertThat(limit.allow(InetAddress.ofLiteral("192.0.2.2"), 0)).isTrue();
  }
}
