package io.ipsecd.cli.ctl;

import static org.assertj.core.api.Assertions.assertThat;

import io.ipsecd.cli.control.ControlProtocol;
import io.ipsecd.cli.tunnel.Views;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The counters as an admin reads them, and as they cross the control socket. */
class TextFormatTest {
  private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");

  static Views.ChildSa child(long replay, long icv, long badPadding, long refused, Long lastIn) {
    return new Views.ChildSa("net", 3, "INSTALLED", "TUNNEL", "ESP", false, "AES_GCM_16_256", null, null, false,
        "c1000001", 84_000, 1000, lastIn, replay, icv, badPadding, 0, "c2000002", 42_000, 500, 0L, refused, T, 3000L,
        null, List.of("198.18.1.0/24"), List.of("198.19.0.0/24"));
  }

  static Views.SaList list(Views.ChildSa child) {
    return new Views.SaList(List.of(new Views.IkeSa("corp-cloud", 1, "ESTABLISHED", 2, true, "0123456789abcdef",
        "fedcba9876543210", "corp", "192.0.2.1", 500, "cloud", "192.0.2.2", 500, "AES_GCM_16_256", null,
        "PRF_HMAC_SHA2_384", "CURVE_25519", T, 10_000L, List.of(child))));
  }

  static Views.Stats stats(Views.DataplaneStats dataplane) {
    return new Views.Stats("0.1.0", T, 60, "/etc/ipsecd/ipsecd.yaml", 1, 1, 1, 1, 5, 0, 0, 0, null, 4, 1 << 20, 30,
        dataplane);
  }

  static Map<String, Long> drops(long noSa, long unknownSpi) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (Views.DropReason r : Views.DropReason.values()) {
      m.put(r.key(), 0L);
    }
    m.put("noSa", noSa);
    m.put("unknownSpi", unknownSpi);
    return m;
  }

  private static String print(Consumer<PrintWriter> printer) {
    StringWriter s = new StringWriter();
    try (PrintWriter w = new PrintWriter(s)) {
      printer.accept(w);
    }
    return s.toString();
  }

  @Test
  void listSasShowsHowThePeerAuthenticatedAndWhetherIkeFragments() {
    Views.IkeSa sa = new Views.IkeSa("corp-cloud", 1, "ESTABLISHED", 2, true, "0123456789abcdef", "fedcba9876543210",
        "corp", "192.0.2.1", 500, "cloud", "192.0.2.2", 500, "AES_GCM_16_256", null, "PRF_HMAC_SHA2_384",
        "CURVE_25519/KE1_ML_KEM_768", T, 10_000L, List.of(), 0, "certificate CN=cloud, ECDSA-SHA384 (RFC 7427), PPK 'pq1'",
        true);
    String text = print(out -> TextFormat.sas(new Views.SaList(List.of(sa)), out));
    assertThat(text).contains("  remote 'cloud' @ 192.0.2.2[500]\n"
        + "  peer authenticated by certificate CN=cloud, ECDSA-SHA384 (RFC 7427), PPK 'pq1'; IKE fragmentation on\n");
    String older = print(out -> TextFormat.sas(list(child(0, 0, 0, 0, null)), out));
    assertThat(older).doesNotContain("peer authenticated");
  }

  @Test
  void listSasShowsEachDirectionsTrafficDropsAndLastPacket() {
    String text = print(out -> TextFormat.sas(list(child(2, 5, 0, 0, 3L)), out));
    assertThat(text).contains("    in  c1000001,      84000 bytes,     1000 packets, last 3s ago, dropped: 2 replayed, "
        + "5 failed ICV\n");
    assertThat(text).contains("    out c2000002,      42000 bytes,      500 packets, last 0s ago\n");
  }

  @Test
  void anAeadCipherWithoutIntegrityAlgorithmPrints() {
    assertThat(print(out -> TextFormat.sas(list(child(0, 0, 0, 0, null)), out)))
        .contains("  AES_GCM_16_256/PRF_HMAC_SHA2_384/CURVE_25519\n");
  }

  @Test
  void rareDropsAndAnIdleDirectionShowOnlyWhenTheyApply() {
    String text = print(out -> TextFormat.sas(list(child(0, 0, 7, 9, null)), out));
    assertThat(text).contains("1000 packets, dropped: 0 replayed, 0 failed ICV, 7 bad padding\n");
    assertThat(text).contains("500 packets, last 0s ago, refused to encrypt 9 (expired?)\n");
  }

  @Test
  void statsShowsTotalsAndTheFailClosedDropsInAdminWords() {
    Views.DataplaneStats dp = new Views.DataplaneStats(true, "ipsecd0", 1000, 84_000, 500, 42_000, 2, 5,
        drops(12, 3));
    String text = print(out -> TextFormat.stats(stats(dp), out));
    assertThat(text).contains("data plane: running on ipsecd0\n")
        .contains("  traffic of the installed SAs: in 1000 packets (84000 bytes), out 500 packets (42000 bytes)\n")
        .contains("  rejected by the installed SAs: 2 replayed, 5 failed ICV\n")
        .contains("  dropped since start:\n")
        .contains("            12  protected traffic with no usable SA: dropped, never sent in clear")
        .contains("             3  ESP for an SPI that is not installed");
    // Zero reasons stay out of the way.
    assertThat(text).doesNotContain("too big").doesNotContain("trap");
  }

  @Test
  void statsSaysWhenNothingWasDroppedOrThereIsNoDataPlane() {
    Views.DataplaneStats idle = new Views.DataplaneStats(false, null, 0, 0, 0, 0, 0, 0, drops(0, 0));
    assertThat(print(out -> TextFormat.stats(stats(idle), out)))
        .contains("data plane: not running (the log says why; SAs are negotiated but carry no traffic)\n")
        .contains("  dropped since start: none\n");
    assertThat(print(out -> TextFormat.stats(stats(null), out)))
        .contains("data plane: none (no connection names a local address)\n");
  }

  @Test
  void aDropReasonFromANewerDaemonIsShownByItsKey() {
    Map<String, Long> drops = drops(0, 0);
    drops.put("somethingNew", 4L);
    Views.DataplaneStats dp = new Views.DataplaneStats(true, "ipsecd0", 0, 0, 0, 0, 0, 0, drops);
    assertThat(print(out -> TextFormat.stats(stats(dp), out))).contains("             4  somethingNew\n");
  }

  @Test
  void countersRoundTripThroughTheProtocolJson() throws Exception {
    Views.SaList sas = list(child(2, 5, 7, 9, 3L));
    String json = ControlProtocol.JSON.writeValueAsString(sas);
    assertThat(ControlProtocol.JSON.readValue(json, Views.SaList.class)).isEqualTo(sas);
    var c = ControlProtocol.JSON.readTree(json).at("/ikeSas/0/children/0");
    assertThat(c.path("replayDropsIn").asLong()).isEqualTo(2);
    assertThat(c.path("icvFailuresIn").asLong()).isEqualTo(5);
    assertThat(c.path("badPaddingIn").asLong()).isEqualTo(7);
    assertThat(c.path("refusedOut").asLong()).isEqualTo(9);
    assertThat(c.path("lastInSecondsAgo").asLong()).isEqualTo(3);

    Views.Stats st = stats(new Views.DataplaneStats(true, "ipsecd0", 1, 2, 3, 4, 5, 6, drops(12, 3)));
    String statsJson = ControlProtocol.JSON.writeValueAsString(st);
    assertThat(ControlProtocol.JSON.readValue(statsJson, Views.Stats.class)).isEqualTo(st);
    var drops = ControlProtocol.JSON.readTree(statsJson).path("dataplane").path("drops");
    assertThat(drops.path("noSa").asLong()).isEqualTo(12);
    assertThat(drops.path("unknownSpi").asLong()).isEqualTo(3);
  }

  @Test
  void statusShowsEachSasRekeysAndWhenTheNextIsDue() {
    Views.ChildStatus net = new Views.ChildStatus("net", "installed", "trap", List.of("10.1.0.0/16"),
        List.of("10.2.0.0/16"), List.of("aes256gcm16"), null, "ipsecd0", List.of(
            new Views.SaLifecycle(7, "REKEYED", 3, null), new Views.SaLifecycle(9, "INSTALLED", 4, 3000L)));
    Views.ConnectionStatus conn = new Views.ConnectionStatus("corp-cloud", "established", "192.0.2.1:500", "corp",
        "192.0.2.2:500", "cloud", List.of("aes256gcm16-prfsha384-ecp384"), List.of(net), null,
        List.of(new Views.SaLifecycle(4, "ESTABLISHED", 1, 25_000L),
            new Views.SaLifecycle(5, "ESTABLISHED", 0, 28_000L, "CURVE_25519/KE1_ML_KEM_768")));
    String text = print(out -> TextFormat.status(new Views.StatusReport(List.of(conn), new Views.Summary(1, 1, 1, 1)),
        out));
    assertThat(text).contains("  ike: aes256gcm16-prfsha384-ecp384\n  IKE SA #4: ESTABLISHED, 1 rekey, next in 6h56m\n")
        .contains("  IKE SA #5: ESTABLISHED, CURVE_25519/KE1_ML_KEM_768, 0 rekeys, next in 7h46m\n")
        .contains(", via ipsecd0\n    CHILD_SA #7: REKEYED, 3 rekeys, no rekey scheduled\n"
            + "    CHILD_SA #9: INSTALLED, 4 rekeys, next in 50m\n");
  }

  @Test
  void statsCountsEachEventTypeAndTheCountsCrossTheSocket() throws Exception {
    Views.Stats st = new Views.Stats("0.1.0", T, 60, "/etc/ipsecd/ipsecd.yaml", 1, 1, 1, 1, 5, 0, 0, 0, null, 19,
        1 << 20, 30, null, Map.of("dpd-dead", 1L, "child-rekeyed", 12L, "child-rekey-collision", 6L));
    assertThat(print(out -> TextFormat.stats(st, out))).contains("events since start, by type:\n"
        + "           6  child-rekey-collision\n"
        + "          12  child-rekeyed\n"
        + "           1  dpd-dead\n");
    String json = ControlProtocol.JSON.writeValueAsString(st);
    assertThat(ControlProtocol.JSON.readValue(json, Views.Stats.class)).isEqualTo(st);
    assertThat(ControlProtocol.JSON.readTree(json).at("/eventsByType/child-rekeyed").asLong()).isEqualTo(12);
  }

  @Test
  void rekeyCountsAndLifecyclesRoundTripThroughTheProtocolJson() throws Exception {
    Views.ChildSa base = child(0, 0, 0, 0, null);
    Views.ChildSa rekeyed = new Views.ChildSa(base.name(), base.uniqueId(), base.state(), base.mode(), base.protocol(),
        base.udpEncap(), base.encryption(), base.integrity(), base.keyExchange(), base.esn(), base.spiIn(),
        base.bytesIn(), base.packetsIn(), base.lastInSecondsAgo(), base.replayDropsIn(), base.icvFailuresIn(),
        base.badPaddingIn(), base.malformedIn(), base.spiOut(), base.bytesOut(), base.packetsOut(),
        base.lastOutSecondsAgo(), base.refusedOut(), base.installed(), base.rekeyInSeconds(), base.expiresInSeconds(),
        base.localTs(), base.remoteTs(), 5);
    Views.SaList sas = list(rekeyed);
    String json = ControlProtocol.JSON.writeValueAsString(sas);
    assertThat(ControlProtocol.JSON.readValue(json, Views.SaList.class)).isEqualTo(sas);
    assertThat(ControlProtocol.JSON.readTree(json).at("/ikeSas/0/children/0/rekeys").asInt()).isEqualTo(5);

    Views.StatusReport status = new Views.StatusReport(List.of(new Views.ConnectionStatus("c", "established",
        "192.0.2.1:500", "a", "192.0.2.2:500", "b", List.of("aes256gcm16-prfsha384-ecp384"), List.of(), null,
        List.of(new Views.SaLifecycle(2, "ESTABLISHED", 3, 100L)))), new Views.Summary(1, 1, 0, 0));
    String statusJson = ControlProtocol.JSON.writeValueAsString(status);
    assertThat(ControlProtocol.JSON.readValue(statusJson, Views.StatusReport.class)).isEqualTo(status);
    assertThat(ControlProtocol.JSON.readTree(statusJson).at("/connections/0/ikeSas/0/rekeys").asInt()).isEqualTo(3);
  }
}
