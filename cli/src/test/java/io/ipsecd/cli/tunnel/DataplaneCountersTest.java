package io.ipsecd.cli.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.dataplane.DropStats;
import io.ipsecd.esp.SaStats;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DataplaneCountersTest {
  private static Views.ChildSa child(long packetsIn, long bytesIn, long packetsOut, long bytesOut, long replay, long icv) {
    return new Views.ChildSa("net", 1, "INSTALLED", "TUNNEL", "ESP", false, "AES_GCM_16_256", null, null, false, "1",
        bytesIn, packetsIn, null, replay, icv, 0, 0, "2", bytesOut, packetsOut, null, 0, Instant.EPOCH, null, null,
        List.of(), List.of());
  }

  private static Views.IkeSa ike(Views.ChildSa... children) {
    return new Views.IkeSa("c", 1, "ESTABLISHED", 2, true, "1", "2", "a", "192.0.2.1", 500, "b", "192.0.2.2", 500,
        null, null, null, null, Instant.EPOCH, null, List.of(children));
  }

  @Test
  void totalsSumEveryChildOfEveryIkeSaAndNameEachDropReason() {
    DropStats drops = new DropStats(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13);
    Views.DataplaneStats t = DataplaneCounters.totals(true, "ipsecd0",
        List.of(ike(child(10, 1000, 20, 2000, 1, 2), child(1, 100, 2, 200, 0, 1)), ike(child(5, 50, 6, 60, 3, 0))),
        drops);
    assertThat(t).extracting("packetsIn", "bytesIn", "packetsOut", "bytesOut", "replayDrops", "icvFailures")
        .containsExactly(16L, 1150L, 28L, 2260L, 4L, 3L);
    // Each DropStats field lands under its own key, fail-closed first.
    assertThat(t.drops()).containsExactly(java.util.Map.entry("noSa", 2L), java.util.Map.entry("noPolicy", 1L),
        java.util.Map.entry("trapQueueFull", 3L), java.util.Map.entry("malformedInner", 4L),
        java.util.Map.entry("encryptRefused", 5L), java.util.Map.entry("tooBig", 6L),
        java.util.Map.entry("sendFailed", 7L), java.util.Map.entry("unknownSpi", 8L),
        java.util.Map.entry("wrongTransport", 9L), java.util.Map.entry("decryptFailed", 10L),
        java.util.Map.entry("policyMismatch", 11L), java.util.Map.entry("tunWriteFailed", 12L),
        java.util.Map.entry("eventsLost", 13L));
  }

  @Test
  void lastPacketIsNullUntilOneWentThrough() {
    long now = 50_000_000_000L;
    assertThat(DataplaneCounters.secondsSinceLastPacket(Optional.empty(), now)).isNull();
    assertThat(DataplaneCounters.secondsSinceLastPacket(Optional.of(stats(0)), now)).isNull();
    assertThat(DataplaneCounters.secondsSinceLastPacket(Optional.of(stats(now - 7_400_000_000L)), now)).isEqualTo(7);
  }

  private static SaStats stats(long lastNanos) {
    return new SaStats(1, 1, 0, 0, 0, 0, 0, lastNanos);
  }
}
