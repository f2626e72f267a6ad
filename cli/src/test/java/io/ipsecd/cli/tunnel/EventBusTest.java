package io.ipsecd.cli.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code stats} counts of the events the daemon publishes. */
class EventBusTest {
  @Test
  void everyPublishedEventIsCountedByItsType() {
    EventBus bus = new EventBus(Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC));
    assertThat(bus.publishedByType()).isEmpty();
    for (int i = 0; i < 3; i++) {
      bus.publish("child-rekeyed", "corp-cloud", "net rekeyed");
    }
    bus.publish("dpd-dead", "corp-cloud", "peer 192.0.2.2 not answering");
    bus.publish("child-rekey-collision", "corp-cloud", "lost the collision");
    assertThat(bus.publishedByType()).containsExactly(Map.entry("child-rekey-collision", 1L),
        Map.entry("child-rekeyed", 3L), Map.entry("dpd-dead", 1L));
    assertThat(bus.published()).isEqualTo(5);
  }
}
