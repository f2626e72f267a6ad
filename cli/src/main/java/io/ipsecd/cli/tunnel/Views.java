package io.ipsecd.cli.tunnel;

import java.time.Instant;
import java.util.List;

/**
 * What the control socket reports, shaped like strongSwan's VICI/list-sas fields so that admins
 * and tooling find what they know. Shared by the daemon (which fills them) and ipsecctl (which
 * prints them).
 */
public final class Views {
  private Views() {}

  public record LastError(String message, Instant at) {}

  public record ChildStatus(String name, String state, String start, List<String> localTs, List<String> remoteTs,
      List<String> espProposals, LastError lastError) {}

  public record ConnectionStatus(String name, String state, String local, String localId, String remote,
      String remoteId, List<String> ikeProposals, List<ChildStatus> children, LastError lastError) {}

  public record Summary(int configured, int up, int children, int childrenUp) {
    public String text() {
      return configured + " configured, " + up + " up (" + children + " children, " + childrenUp + " installed)";
    }
  }

  public record StatusReport(List<ConnectionStatus> connections, Summary summary) {}

  /** One Child SA, with the fields of {@code swanctl --list-sas}. */
  public record ChildSa(String name, long uniqueId, String state, String mode, String protocol, boolean udpEncap,
      String encryption, String integrity, String keyExchange, boolean esn,
      String spiIn, long bytesIn, long packetsIn, Long lastInSecondsAgo,
      String spiOut, long bytesOut, long packetsOut, Long lastOutSecondsAgo,
      Instant installed, Long rekeyInSeconds, Long expiresInSeconds, List<String> localTs, List<String> remoteTs) {}

  /** One IKE SA, with the fields of {@code swanctl --list-sas}. */
  public record IkeSa(String name, long uniqueId, String state, int version, boolean initiator,
      String spiInitiator, String spiResponder, String localId, String localAddress, int localPort,
      String remoteId, String remoteAddress, int remotePort, String encryption, String integrity,
      String prf, String keyExchange, Instant established, Long rekeyInSeconds, List<ChildSa> children) {}

  public record SaList(List<IkeSa> ikeSas) {}

  public record Stats(String version, Instant started, long uptimeSeconds, String configFile, int connections,
      int children, int ikeSas, int childSas, long controlRequests, long callersRefused, long reloads,
      long reloadsFailed, Instant lastReload, long events, long heapUsedBytes, int threads) {}

  public record ActionResult(String message) {}

  public record ReloadResult(String message, List<String> added, List<String> removed, List<String> changed,
      List<String> unchanged) {}
}
