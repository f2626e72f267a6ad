package io.ipsecd.cli.tunnel;

import io.ipsecd.dataplane.DropStats;
import io.ipsecd.esp.SaStats;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Turns the data plane's counters into the views {@code list-sas} and {@code stats} show. */
final class DataplaneCounters {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private DataplaneCounters() {}

  /** Seconds since the SA's last packet, or null when none went through (lastPacketNanos is 0 then). */
  static Long secondsSinceLastPacket(Optional<SaStats> stats, long nowNanos) {
    if (stats.isEmpty() || stats.get().lastPacketNanos() == 0) {
      return null;
    }
    return Math.max(0, (nowNanos - stats.get().lastPacketNanos()) / NANOS_PER_SECOND);
  }

  /** Traffic summed over the listed Child SAs, and the data plane's drops by reason (fail-closed first). */
  static Views.DataplaneStats totals(boolean running, String tunnel, List<Views.IkeSa> sas, DropStats drops) {
    long packetsIn = 0;
    long bytesIn = 0;
    long packetsOut = 0;
    long bytesOut = 0;
    long replay = 0;
    long icv = 0;
    for (Views.IkeSa ike : sas) {
      for (Views.ChildSa c : ike.children()) {
        packetsIn += c.packetsIn();
        bytesIn += c.bytesIn();
        packetsOut += c.packetsOut();
        bytesOut += c.bytesOut();
        replay += c.replayDropsIn();
        icv += c.icvFailuresIn();
      }
    }
    return new Views.DataplaneStats(running, tunnel, packetsIn, bytesIn, packetsOut, bytesOut, replay, icv,
        byReason(drops));
  }

  static Map<String, Long> byReason(DropStats d) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Views.DropReason r : Views.DropReason.values()) {
      m.put(r.key(), switch (r) {
        case NO_SA -> d.noSa();
        case NO_POLICY -> d.noPolicy();
        case TRAP_QUEUE_FULL -> d.trapQueueFull();
        case MALFORMED_INNER -> d.malformedInner();
        case ENCRYPT_REFUSED -> d.encryptRefused();
        case TOO_BIG -> d.tooBig();
        case SEND_FAILED -> d.sendFailed();
        case UNKNOWN_SPI -> d.unknownSpi();
        case WRONG_TRANSPORT -> d.wrongTransport();
        case DECRYPT_FAILED -> d.decryptFailed();
        case POLICY_MISMATCH -> d.policyMismatch();
        case TUN_WRITE_FAILED -> d.tunWriteFailed();
        case EVENTS_LOST -> d.eventsLost();
      });
    }
    return m;
  }
}
