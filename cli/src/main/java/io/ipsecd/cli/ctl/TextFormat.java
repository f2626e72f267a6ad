package io.ipsecd.cli.ctl;

import io.ipsecd.cli.tunnel.DaemonEvent;
import io.ipsecd.cli.tunnel.Views;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

/** The human-readable listings: terse first lines, details indented below, like swanctl. */
final class TextFormat {
  private TextFormat() {}

  static void status(Views.StatusReport report, PrintWriter out) {
    for (Views.ConnectionStatus c : report.connections()) {
      out.printf("%s: %s, %s (%s) -> %s (%s)%n", c.name(), c.state(), c.local(), c.localId(), c.remote(), c.remoteId());
      out.printf("  ike: %s%n", String.join(", ", c.ikeProposals()));
      lifecycles("  IKE SA", c.ikeSas(), out);
      lastError(c.lastError(), "  ", out);
      for (Views.ChildStatus child : c.children()) {
        out.printf("  %s: %s, start %s, %s === %s, esp %s%s%n", child.name(), child.state(), child.start(),
            String.join(" ", child.localTs()), String.join(" ", child.remoteTs()), String.join(", ", child.espProposals()),
            child.interfaceName() == null ? "" : ", via " + child.interfaceName());
        lifecycles("    CHILD_SA", child.sas(), out);
        lastError(child.lastError(), "    ", out);
      }
    }
    for (Views.CertificateWarning warning : report.certificateWarnings()) {
      out.printf("warning: %s%n", warning.message());
    }
    out.println(report.summary().text());
  }

  /** One line per certificate, in aligned columns; then one line per file that could not be read. */
  static void certificates(Views.CertificateList list, PrintWriter out) {
    if (list.certificates().isEmpty()) {
      out.println("no certificates (no connection uses auth: pubkey)");
      return;
    }
    List<String[]> rows = new java.util.ArrayList<>();
    rows.add(new String[] {"CONNECTION", "ROLE", "SUBJECT", "ISSUER", "NOT BEFORE", "NOT AFTER", "DAYS LEFT", "FILE"});
    List<Views.CertificateInfo> unreadable = new java.util.ArrayList<>();
    for (Views.CertificateInfo c : list.certificates()) {
      if (c.error() != null) {
        unreadable.add(c);
        continue;
      }
      rows.add(new String[] {c.connection(), c.role(), c.subject(), c.issuer(), day(c.notBefore()), day(c.notAfter()),
          c.daysToExpiry() < 0 ? "expired" : Long.toString(c.daysToExpiry()), c.file()});
    }
    if (rows.size() > 1) {
      int[] widths = new int[rows.getFirst().length];
      for (String[] row : rows) {
        for (int i = 0; i < row.length; i++) {
          widths[i] = Math.max(widths[i], row[i].length());
        }
      }
      for (String[] row : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length - 1; i++) {
          line.append(String.format("%-" + widths[i] + "s  ", row[i]));
        }
        out.println(line.append(row[row.length - 1]));
      }
    }
    for (Views.CertificateInfo c : unreadable) {
      out.printf("%s (%s): %s%n", c.connection(), c.role(), c.error());
    }
  }

  private static String day(Instant at) {
    return at == null ? "" : at.atOffset(java.time.ZoneOffset.UTC).toLocalDate().toString();
  }

  /**
   * Each SA's rekeys so far and when the next one is due, with an IKE SA's key exchanges, e.g.
   * "IKE SA #4: ESTABLISHED, CURVE_25519/KE1_ML_KEM_768, 2 rekeys, next in 6h56m".
   */
  private static void lifecycles(String label, List<Views.SaLifecycle> sas, PrintWriter out) {
    for (Views.SaLifecycle sa : sas) {
      out.printf("%s #%d: %s, %s%d rekey%s, %s%n", label, sa.uniqueId(), sa.state(),
          sa.keyExchanges() == null ? "" : sa.keyExchanges() + ", ", sa.rekeys(),
          sa.rekeys() == 1 ? "" : "s", sa.rekeyInSeconds() == null ? "no rekey scheduled"
              : "next in " + human(Duration.ofSeconds(sa.rekeyInSeconds())));
    }
  }

  private static void lastError(Views.LastError error, String indent, PrintWriter out) {
    if (error != null) {
      out.printf("%slast error %s (%s ago): %s%n", indent, seconds(error.at()), ago(error.at()), error.message());
    }
  }

  static void sas(Views.SaList list, PrintWriter out) {
    if (list.ikeSas().isEmpty()) {
      out.println("no IKE SAs");
      return;
    }
    for (Views.IkeSa sa : list.ikeSas()) {
      out.printf("%s: #%d, %s, IKEv%d, %s_i%s %s_r%s%n", sa.name(), sa.uniqueId(), sa.state(), sa.version(),
          sa.spiInitiator(), sa.initiator() ? "*" : "", sa.spiResponder(), sa.initiator() ? "" : "*");
      out.printf("  local  '%s' @ %s[%d]%n", sa.localId(), sa.localAddress(), sa.localPort());
      out.printf("  remote '%s' @ %s[%d]%n", sa.remoteId(), sa.remoteAddress(), sa.remotePort());
      if (sa.authentication() != null && !sa.authentication().isEmpty()) {
        out.printf("  peer authenticated by %s%s%n", sa.authentication(), sa.fragmentation() ? "; IKE fragmentation on" : "");
      }
      out.printf("  %s%n", algorithms(sa.encryption(), sa.integrity(), sa.prf(), sa.keyExchange()));
      if (sa.established() != null) {
        out.printf("  established %s ago%s%n", ago(sa.established()), seconds(", rekeying in ", sa.rekeyInSeconds()));
      }
      for (Views.ChildSa child : sa.children()) {
        out.printf("  %s: #%d, %s, %s%s, %s:%s%n", child.name(), child.uniqueId(), child.state(), child.mode(),
            child.udpEncap() ? "-in-UDP" : "", child.protocol(),
            algorithms(child.encryption(), child.integrity(), child.keyExchange(), child.esn() ? "ESN" : null));
        if (child.installed() != null) {
          out.printf("    installed %s ago%s%s%n", ago(child.installed()), seconds(", rekeying in ", child.rekeyInSeconds()),
              seconds(", expires in ", child.expiresInSeconds()));
        }
        out.printf("    in  %s, %10d bytes, %8d packets%s, dropped: %d replayed, %d failed ICV%s%n", child.spiIn(),
            child.bytesIn(), child.packetsIn(), lastUse(child.lastInSecondsAgo()), child.replayDropsIn(),
            child.icvFailuresIn(), count(", %d bad padding", child.badPaddingIn())
                + count(", %d malformed", child.malformedIn()));
        out.printf("    out %s, %10d bytes, %8d packets%s%s%n", child.spiOut(), child.bytesOut(), child.packetsOut(),
            lastUse(child.lastOutSecondsAgo()), count(", refused to encrypt %d (expired?)", child.refusedOut()));
        out.printf("    local  %s%n    remote %s%n", String.join(" ", child.localTs()), String.join(" ", child.remoteTs()));
      }
    }
  }

  static void stats(Views.Stats s, PrintWriter out) {
    out.printf("ipsecd %s, up %s (since %s)%n", s.version(), human(Duration.ofSeconds(s.uptimeSeconds())), seconds(s.started()));
    out.printf("config: %s, %d connections, %d children%n", s.configFile(), s.connections(), s.children());
    out.printf("SAs: %d IKE, %d Child%n", s.ikeSas(), s.childSas());
    out.printf("reloads: %d applied, %d refused%s%n", s.reloads(), s.reloadsFailed(),
        s.lastReload() == null ? "" : ", last " + seconds(s.lastReload()));
    out.printf("control: %d requests, %d callers refused; %d events%n", s.controlRequests(), s.callersRefused(), s.events());
    out.printf("memory: %d KiB heap in use, %d threads%n", s.heapUsedBytes() / 1024, s.threads());
    eventsByType(s.eventsByType(), out);
    dataplane(s.dataplane(), out);
  }

  /** Each event type seen since start with its count (rekeys, collisions, DPD, restarts, deletes, ...). */
  private static void eventsByType(Map<String, Long> counts, PrintWriter out) {
    if (counts == null || counts.isEmpty()) {
      return;
    }
    out.println("events since start, by type:");
    counts.forEach((type, n) -> out.printf("  %10d  %s%n", n, type));
  }

  private static void dataplane(Views.DataplaneStats d, PrintWriter out) {
    if (d == null) {
      out.println("data plane: none (no connection names a local address)");
      return;
    }
    out.printf("data plane: %s%n", d.running() ? "running on " + d.tunnel()
        : "not running (the log says why; SAs are negotiated but carry no traffic)");
    out.printf("  traffic of the installed SAs: in %d packets (%d bytes), out %d packets (%d bytes)%n",
        d.packetsIn(), d.bytesIn(), d.packetsOut(), d.bytesOut());
    out.printf("  rejected by the installed SAs: %d replayed, %d failed ICV%n", d.replayDrops(), d.icvFailures());
    List<Map.Entry<String, Long>> dropped = d.drops() == null ? List.of()
        : d.drops().entrySet().stream().filter(e -> e.getValue() != null && e.getValue() > 0).toList();
    if (dropped.isEmpty()) {
      out.println("  dropped since start: none");
      return;
    }
    out.println("  dropped since start:");
    for (Map.Entry<String, Long> e : dropped) {
      out.printf("    %10d  %s%n", e.getValue(), Views.DropReason.meaningOf(e.getKey()));
    }
  }

  private static String count(String format, long value) {
    return value == 0 ? "" : format.formatted(value);
  }

  static void event(DaemonEvent e, PrintWriter out) {
    out.printf("%s %s%s: %s%n", seconds(e.at()), e.type(), e.connection() == null ? "" : " " + e.connection(), e.message());
  }

  private static String algorithms(String... parts) {
    // Arrays.stream, not List.of: an AEAD cipher has no integrity algorithm, and that part is null.
    return String.join("/", java.util.Arrays.stream(parts).filter(p -> p != null && !p.isEmpty()).toList());
  }

  private static String seconds(String label, Long value) {
    return value == null ? "" : label + value + "s";
  }

  private static String lastUse(Long secondsAgo) {
    return secondsAgo == null ? "" : ", last " + secondsAgo + "s ago";
  }

  private static Instant seconds(Instant at) {
    return at.truncatedTo(ChronoUnit.SECONDS);
  }

  static String ago(Instant at) {
    return human(Duration.between(at, Instant.now()));
  }

  static String human(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 7200) {
      return s / 60 + "m";
    }
    return s / 3600 + "h" + (s % 3600) / 60 + "m";
  }
}
